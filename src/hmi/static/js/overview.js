// Overview: the plant as a flow picture with live values, every measurement with its quality and age, and a
// short trend of the main heat flows.

import { $, el, fill, fmtNum, fmtTagValue, fmtDuration, throttle } from "./util.js";
import { store, on, plantNow, plantRate, reportError } from "./store.js";
import { pick, hpIds, fetchHistory } from "./data.js";
import { Chart, C, timeAxis, valueAxis, lineSeries, legendAt } from "./charts.js";

const NS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined && v !== null) n.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) n.append(c instanceof Node ? c : String(c));
  return n;
}

export const QUALITY_MARK = { good: "", uncertain: "? uncertain", bad: "✕ BAD", stale: "◷ STALE", missing: "✕ MISSING" };
export const isGood = (m) => !!m && m.quality === "good" && m.value !== null && m.value !== undefined;
const usable = (m) => !!m && (m.quality === "good" || m.quality === "uncertain") && typeof m.value === "number";

let trend;
let trendTimer = null;
let visible = false;
let trendLoaded = false;

export function initOverview() {
  trend = new Chart($("#overview-trend"), 190);
  const render = throttle(renderNow, 500);
  on("state", render);
  on("stream", render);
  on("state", () => { if (visible && !trendLoaded) loadTrend(); });
  on("tick", () => { const st = document.body.classList.contains("data-stale"); if (st || st !== wasStale) render(); });
  renderNow();
}

export function showOverview(isVisible) {
  visible = isVisible;
  clearInterval(trendTimer);
  trendTimer = null;
  if (visible) {
    loadTrend();
    trendTimer = setInterval(loadTrend, 60_000);
  }
}

let wasStale = false;
function renderNow() {
  const stale = document.body.classList.contains("data-stale");
  wasStale = stale;
  const ms = currentMeasurements(stale);
  const map = new Map(ms.map((m) => [m.tag, m]));
  renderFlow(map);
  renderTable(ms);
}

/** The state's measurements; when no state has come for a while, every value is shown stale and its age grows. */
function currentMeasurements(stale) {
  const ms = store.state?.measurements ?? [];
  if (!stale) return ms;
  const extra = ((performance.now() - store.stateWallMs) / 1000) * plantRate();
  return ms.map((m) => ({ ...m, quality: m.quality === "good" || m.quality === "uncertain" ? "stale" : m.quality,
    age_s: typeof m.age_s === "number" ? m.age_s + extra : m.age_s }));
}

// ---- the flow picture -------------------------------------------------------------------------------------------

/** One line of a box: a label and the measurement's value, greyed and struck through when not good. */
function valueLine(x, y, label, m, key, fmt) {
  const q = m ? m.quality : "missing";
  const text = m && m.value !== null && m.value !== undefined ? (fmt ? fmt(m.value) : fmtTagValue(m.tag, m.value)) : "—";
  const tag = m?.tag ?? key;
  return s("text", { x, y, class: `v q-${q}`, "data-tag": tag },
    s("tspan", { class: "lbl" }, `${label} `),
    s("tspan", { class: "val" }, text),
    q !== "good" ? s("tspan", { class: "qmark", dx: 4 }, QUALITY_MARK[q] ?? q) : null,
    s("title", null, `${tag}: ${text} (${q}${m?.age_s !== undefined ? `, ${fmtDuration(m.age_s)} old` : ""})`));
}

function box(x, y, w, h, title, lines, extraClass = "") {
  return s("g", { class: `node ${extraClass}` },
    s("rect", { x, y, width: w, height: h, rx: 4 }),
    s("text", { x: x + 10, y: y + 20, class: "node-title" }, title),
    lines.map((ln, i) => valueLine(x + 10, y + 42 + i * 21, ...ln)));
}

/** An arrow along a path; drawn solid when the flow is on, dashed when off or unknown. */
function flow(d, m, label, lx, ly, anchor = "start") {
  const on = usable(m) && m.value > 0.5;
  const unknown = !usable(m);
  const cls = on ? "flow on" : unknown ? "flow unknown" : "flow off";
  const parts = [s("path", { d, class: cls, "marker-end": `url(#arrow-${on ? "on" : "off"})` })];
  if (label !== null && label !== undefined) {
    const q = m ? m.quality : "missing";
    const v = m && typeof m.value === "number" ? fmtNum(m.value, "kW") : "—";
    parts.push(s("text", { x: lx, y: ly, "text-anchor": anchor, class: `flow-label q-${q}` }, `${label} ${v}`.trim(), q !== "good" ? ` ${QUALITY_MARK[q] ?? q}` : ""));
  }
  return s("g", null, parts);
}

function sumOf(ms) {
  const good = ms.filter(usable);
  if (!ms.length) return null;
  const worst = ms.some((m) => !m || m.quality === "bad" || m.quality === "missing") ? "bad"
    : ms.some((m) => m.quality === "stale") ? "stale" : ms.some((m) => m.quality === "uncertain") ? "uncertain" : "good";
  return { tag: "heat pumps (sum)", value: good.length ? good.reduce((a, m) => a + m.value, 0) : null, quality: good.length === ms.length ? worst : worst === "good" ? "bad" : worst };
}

function renderFlow(map) {
  const svg = $("#flow-svg");
  const ids = hpIds();
  const n = ids.length;
  const gap = 8;
  const hpH = Math.min(70, (190 - gap * (n - 1)) / n);
  const hpBoxes = ids.map((id, i) => {
    const run = map.get(`${id}.running`);
    const avail = map.get(`${id}.available`);
    const heat = map.get(`${id}.heat_kw`);
    const unavailable = usable(avail) && !avail.value;
    const y = 15 + i * (hpH + gap);
    const runText = unavailable ? "⚠ UNAVAILABLE" : run && typeof run.value === "number" ? (run.value ? "RUNNING" : "off") : "—";
    const g = s("g", { class: `node hp${unavailable ? " abnormal" : ""}`, "data-hp": id },
      s("rect", { x: 250, y, width: 200, height: hpH, rx: 4 }),
      s("text", { x: 260, y: y + 19, class: "node-title" }, id.toUpperCase()),
      s("text", { x: 442, y: y + 19, "text-anchor": "end", class: `run q-${run ? run.quality : "missing"}${unavailable ? " warn" : ""}` }, runText),
      hpH >= 40 ? valueLine(260, y + 40, "heat", heat, `${id}.heat_kw`) : null);
    return g;
  });
  const hpSum = sumOf(ids.map((id) => map.get(`${id}.heat_kw`)).filter(Boolean));

  const itHeat = pick(map, "it_heat");
  const sold = pick(map, "dh_sold");
  const direct = pick(map, "gh_direct");
  const boost = pick(map, "gh_boost");
  const dump = pick(map, "dump");
  const chiller = pick(map, "chiller");
  const chillerOn = usable(chiller) && chiller.value > 0.5;

  const content = [
    s("defs", null,
      ["on", "off"].map((k) => s("marker", { id: `arrow-${k}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: `arrowhead ${k}` })))),
    flow("M180,200 H215 V110 H246", itHeat, null),
    flow("M450,110 H506", hpSum, null),
    s("text", { x: 456, y: 100, class: `flow-label q-${hpSum?.quality ?? "missing"}` }, hpSum ? fmtNum(hpSum.value, "kW") : "—"),
    flow("M670,95 H736", sold, "", 674, 86),
    flow("M670,150 H705 V255 H736", boost, "boost", 699, 215, "end"),
    flow("M180,300 H736", direct, "direct to greenhouse", 330, 292),
    flow("M100,330 V398 H246", dump, "dump", 110, 390),
    flow("M100,398 V472 H246", chiller, "chiller", 110, 466),
    box(20, 170, 160, 160, "Data centre", [
      ["IT heat", itHeat, "it.heat_kw"],
      ["supply", pick(map, "fw_supply"), "fw.supply_temp_c"],
      ["return", pick(map, "fw_return"), "fw.return_temp_c"],
    ]),
    hpBoxes,
    box(510, 40, 160, 130, "Hot-water store", [["", pick(map, "storage"), "storage.energy_kwh"]]),
    box(740, 40, 200, 130, "CPCU network", [
      ["sold", sold, "dh.sold_kw"],
      ["demand", pick(map, "dh_demand"), "dh.demand_kw"],
      ["supply", pick(map, "dh_supply"), "dh.supply_temp_c"],
    ]),
    box(740, 215, 200, 130, "Greenhouse", [
      ["air", pick(map, "gh_temp"), "gh.temp_c"],
      ["direct", direct, "gh.direct_kw"],
      ["boost", boost, "gh.boost_kw"],
    ]),
    box(250, 368, 200, 60, "Dry coolers", [["dump", dump, "dump.heat_kw"]]),
    box(250, 442, 200, 60, "Backup chiller", [["cooling", chiller, "chiller.heat_kw"]], chillerOn ? "abnormal" : ""),
    box(740, 368, 200, 60, "Outdoor", [["air", pick(map, "outdoor"), "outdoor.temp_c"]]),
    box(740, 442, 200, 60, "Electricity", [["price", pick(map, "price"), "market.price_el_eur_mwh"]]),
  ];
  svg.replaceChildren(...content.flat());
}

// ---- every measurement ------------------------------------------------------------------------------------------

function renderTable(list) {
  const body = $("#measurements-table tbody");
  const ms = [...list].sort((a, b) => a.tag.localeCompare(b.tag, "en", { numeric: true }));
  if (!ms.length) {
    fill(body, el("tr", null, el("td", { colspan: 4, class: "empty" }, store.state ? "The state has no measurements." : "Waiting for the controller's state…")));
    return;
  }
  fill(body, ms.map((m) => {
    const q = m.quality ?? "missing";
    return el("tr", { class: `q-${q}`, dataset: { tag: m.tag } },
      el("td", { class: "tag" }, m.tag),
      el("td", { class: "num val" }, fmtTagValue(m.tag, m.value)),
      el("td", { class: "quality" }, q === "good" ? "good" : QUALITY_MARK[q] ?? q),
      el("td", { class: "num" }, fmtDuration(m.age_s)));
  }));
}

// ---- a short trend ----------------------------------------------------------------------------------------------

async function loadTrend() {
  if (!visible || !store.me || !store.state) return; // the window counts back from the plant's time
  trendLoaded = true;
  const ids = hpIds();
  const to = plantNow();
  const from = to - 6 * 3600_000;
  const cols = ["it_heat_kw", ...ids.map((id) => `${id}_heat_kw`), "dh_sold_kw", "gh_direct_kw", "dump_kw", "chiller_kw"];
  let h;
  try {
    h = await fetchHistory(from, to, cols, 600);
  } catch (e) {
    if (e.status === 0 || e.status === 401) return;
    trend.clear(`No history: ${e.message}`);
    return;
  }
  if (!h.count) { trend.clear("No history recorded in the last 6 hours yet."); return; }
  const hpCols = ids.map((id) => h.series(`${id}_heat_kw`)).filter(Boolean);
  const total = (cols, i) => (cols.some((c) => c[i] !== null) ? cols.reduce((a, c) => a + (c[i] ?? 0), 0) : null);
  const hpTotal = h.x.map((_, i) => total(hpCols, i));
  const coolCols = [h.series("dump_kw"), h.series("chiller_kw")].filter(Boolean);
  const cool = h.x.map((_, i) => total(coolCols, i));
  const series = [{}, lineSeries("IT heat", C.it, "kW", { dash: [5, 3] }), lineSeries("heat pumps", C.hp[0], "kW"),
    lineSeries("sold", C.sold, "kW", { width: 2 }), lineSeries("gh direct", C.ghDirect, "kW"), lineSeries("dump + chiller", C.dump, "kW", { width: 2 })];
  const data = [h.x, h.series("it_heat_kw") ?? h.x.map(() => null), hpTotal, h.series("dh_sold_kw") ?? h.x.map(() => null),
    h.series("gh_direct_kw") ?? h.x.map(() => null), cool];
  try {
    trend.render({ series, axes: [timeAxis(), valueAxis("kW")], scales: { y: { range: (u, min, max) => [0, Math.max(100, max * 1.05)] } }, plugins: [legendAt((u) => u.data[0].length - 1)] }, data);
  } catch (e) { reportError(e); }
}

// Plan: the plan in force over its horizon — heat allocation per step with the electricity price, the store's
// energy, and each heat pump's on/off and output; the overrides it was made with.

import { $, el, fill, fmtNum, fmtTime, fmtDuration, toMs } from "./util.js";
import { get } from "./api.js";
import { store, on, plantNow, plantRate, stateKnown } from "./store.js";
import { acceptPlan } from "./live.js";
import { Chart, C, stack, stepSeries, lineSeries, timeAxis, valueAxis, spansPlugin, legendAt, indexAt } from "./charts.js";

let alloc;
let energy;
let hps;
let visible = false;
let dirty = true;

const ALLOC = [
  ["dh_sold_kw", "sold to network", C.sold],
  ["gh_direct_kw", "greenhouse direct", C.ghDirect],
  ["gh_boost_kw", "greenhouse boost", C.ghBoost],
  ["storage_charge_kw", "storage charge", C.charge],
  ["dump_kw", "dump (dry coolers)", C.dump],
  ["chiller_kw", "chiller", C.chiller],
];

export function initPlan() {
  alloc = new Chart($("#plan-alloc"), 300);
  energy = new Chart($("#plan-energy"), 170);
  hps = new Chart($("#plan-hps"), 190);
  on("plan", () => { dirty = true; if (visible) render(); });
  on("overrides", () => { if (visible) { renderOverrides(); redrawCharts(); } });
  setInterval(() => { if (visible) renderAge(); }, 1000);
  setInterval(() => { if (visible) redrawCharts(); }, 15_000);
  // without the event stream, a younger plan_age_s in a polled state means a new plan
  on("state", (st) => {
    if (store.stream === "live" || typeof st?.plan_age_s !== "number") return;
    const mine = store.plan ? (plantNow() - toMs(store.plan.made_at)) / 1000 : Infinity;
    if (st.plan_age_s + 30 < mine) loadPlan();
  });
  $("#plan-refresh").addEventListener("click", () => loadPlan());
  on("tick", renderStale);
}

/** While the controller's state is unknown, the plan shown is only the last one received: say so above it. */
function renderStale() {
  const box = $("#plan-stale");
  const stale = !!store.plan && !!store.me && !stateKnown();
  const text = stale ? `◷ Stale: the last plan received (made ${fmtTime(store.plan.made_at)}). The controller does not answer, so it is not known `
    + "whether this plan, a fallback or nothing is in force now (the PLCs go to their own safe values 30 s after chaleur stops)." : "";
  if (box.textContent !== text) box.textContent = text;
  box.hidden = !stale;
  $("#panel-plan").classList.toggle("stale", stale);
}

export function showPlan(isVisible) {
  visible = isVisible;
  if (!visible) return;
  if (!store.plan && !store.planError) { render(); loadPlan(); } else if (dirty) render();
}

function redrawCharts() {
  for (const c of [alloc, energy, hps]) c.redraw();
}

let loading = null;
export function loadPlan() {
  if (!loading) loading = fetchPlan().finally(() => { loading = null; });
  return loading;
}
async function fetchPlan() {
  try {
    acceptPlan(await get("/api/plan"));
  } catch (e) {
    if (e.status === 401) return;
    store.plan = null;
    store.planError = e.status === 404 ? `No plan in force (${e.message}). The controller follows its fallback: see the mode above.` : `The plan cannot be read: ${e.message}`;
    dirty = true;
    if (visible) render();
  }
}

const hpSpans = () => planSpans().filter((sp) => /^hp/i.test(sp.target));
function planSpans() {
  const p = store.plan;
  const ids = new Set((p?.overrides ?? []).map(String));
  return store.overrides
    .filter((o) => (ids.size ? ids.has(String(o.id)) : o.status === "active" || o.status === "scheduled"))
    .map((o) => ({ from: toMs(o.start) / 1000, to: toMs(o.expiry) / 1000, label: `#${o.id} ${o.target}`, target: String(o.target) }))
    .filter((sp) => Number.isFinite(sp.from) && Number.isFinite(sp.to));
}

function renderAge() {
  const p = store.plan;
  const a = $("#plan-age-value");
  if (!p || !a) return;
  const age = (p.age_s ?? (plantNow() - toMs(p.made_at)) / 1000) + ((performance.now() - store.planWallMs) / 1000) * plantRate();
  a.textContent = fmtDuration(age);
}

function render() {
  dirty = false;
  const p = store.plan;
  const summary = $("#plan-summary");
  if (!p || !Array.isArray(p.steps) || !p.steps.length) {
    fill(summary, el("p", { class: "notice" }, store.planError || (p ? "The plan has no steps." : "Loading the plan…")));
    alloc.clear();
    energy.clear();
    hps.clear();
    fill($("#plan-hp-strip"));
    renderOverrides();
    return;
  }
  const steps = [...p.steps].sort((a, b) => toMs(a.time) - toMs(b.time));
  const first = steps[0];
  const last = steps[steps.length - 1];
  const endMs = toMs(last.time) + (last.duration_s ?? 0) * 1000;
  const dd = (label, value, attrs) => el("div", null, el("dt", null, label), el("dd", attrs, value));
  fill(summary, el("dl", { class: "facts" },
    dd("Made at", fmtTime(p.made_at)),
    dd("Age", "—", { id: "plan-age-value" }),
    dd("Trigger", p.trigger ?? "—"),
    dd("Solver", `${p.solver ?? "—"}${p.solve_ms !== undefined ? ` · ${fmtNum(p.solve_ms, "ms", 0)}` : ""}${p.gap_pct !== undefined && p.gap_pct !== null ? ` · gap ${fmtNum(p.gap_pct, "%", 2)}` : ""}`),
    dd("Objective", fmtNum(p.objective_eur, "€", 2)),
    dd("Horizon", `${fmtTime(first.time, { seconds: false })} → ${fmtTime(endMs, { seconds: false })} · ${steps.length} steps`)));
  renderAge();

  // x: step starts, plus the end of the last step so that it shows its width
  const x = steps.map((st) => toMs(st.time) / 1000).concat(endMs / 1000);
  const col = (f) => {
    const v = steps.map((st) => { const r = f(st); return typeof r === "number" ? r : null; });
    return v.concat(v[v.length - 1]);
  };
  const sync = { key: "plan" };
  const atNow = legendAt(() => Math.min(indexAt(x, plantNow() / 1000), x.length - 2));

  // heat allocation, stacked, with the IT heat and the price
  const raw = [x, ...ALLOC.map(([k]) => col((st) => st[k] ?? 0)), col((st) => st.it_heat_kw), col((st) => st.price_el_eur_mwh)];
  const nAlloc = ALLOC.length;
  const { data, bands } = stack(raw, (i) => i > nAlloc);
  const rawValue = (unit) => (u, v, si, idx) => fmtNum(idx == null ? null : raw[si][idx], unit);
  const series = [
    {},
    ...ALLOC.map(([, label, color]) => stepSeries(label, color, "kW", { fill: color, width: 1, value: rawValue("kW") })),
    stepSeries("IT heat", C.it, "kW", { dash: [6, 4], width: 1.5 }),
    stepSeries("electricity price", C.price, "€/MWh", { scale: "price", width: 2 }),
  ];
  const top = Math.max(100, ...data[nAlloc].filter(Number.isFinite), ...raw[nAlloc + 1].filter(Number.isFinite));
  alloc.render({
    series, bands,
    scales: { y: { range: [0, top * 1.05] }, price: { range: (u, min, max) => [Math.min(0, min), Math.max(10, max) * 1.1] } },
    axes: [timeAxis(), valueAxis("kW"), valueAxis("€/MWh", { side: 1, scale: "price", grid: false })],
    cursor: { sync }, plugins: [spansPlugin(planSpans, () => plantNow() / 1000), atNow],
  }, data);

  energy.render({
    series: [{}, lineSeries("store energy", C.charge, "kWh", { width: 2 })],
    scales: { y: { range: (u, min, max) => [0, Math.max(100, max * 1.1)] } },
    axes: [timeAxis(), valueAxis("kWh")],
    cursor: { sync }, plugins: [spansPlugin(() => [], () => plantNow() / 1000), atNow],
  }, [x, col((st) => st.storage_energy_kwh)]);

  const ids = [...new Set(steps.flatMap((st) => (st.hps ?? []).map((h) => h.id)))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const hpOf = (st, id) => (st.hps ?? []).find((h) => h.id === id);
  hps.render({
    series: [{}, ...ids.map((id, i) => stepSeries(`${id} heat`, C.hp[i % C.hp.length], "kW", { width: 2 }))],
    scales: { y: { range: (u, min, max) => [0, Math.max(100, max * 1.1)] } },
    axes: [timeAxis(), valueAxis("kW")],
    cursor: { sync }, plugins: [spansPlugin(hpSpans, () => plantNow() / 1000), atNow],
  }, [x, ...ids.map((id) => col((st) => { const h = hpOf(st, id); return h ? (h.on ? h.heat_kw : 0) : null; }))]);

  renderStrip(steps, ids, hpOf, endMs);
  renderOverrides();
}

/** Each heat pump's on/off over the horizon, runs of equal state merged. */
function renderStrip(steps, ids, hpOf, endMs) {
  const t0 = toMs(steps[0].time);
  const total = Math.max(1, endMs - t0);
  fill($("#plan-hp-strip"), ids.map((id) => {
    const runs = [];
    for (const st of steps) {
      const h = hpOf(st, id);
      const state = h ? (h.on ? "on" : "off") : "unknown";
      const from = toMs(st.time);
      const to = from + (st.duration_s ?? 0) * 1000;
      const prev = runs[runs.length - 1];
      if (prev && prev.state === state) { prev.to = to; prev.heat.push(h?.heat_kw ?? 0); }
      else runs.push({ state, from, to, heat: [h?.heat_kw ?? 0] });
    }
    const starts = runs.filter((r, i) => r.state === "on" && i > 0 && runs[i - 1].state === "off").length;
    const onH = runs.filter((r) => r.state === "on").reduce((a, r) => a + (r.to - r.from), 0) / 3600_000;
    return el("div", { class: "strip-row", dataset: { hp: id } },
      el("span", { class: "strip-label" }, id.toUpperCase()),
      el("div", { class: "strip", role: "img", "aria-label": `${id}: ${runs.map((r) => `${r.state} ${fmtTime(r.from, { seconds: false, date: false })}–${fmtTime(r.to, { seconds: false, date: false })}`).join(", ")}` },
        runs.map((r) => el("span", {
          class: `seg ${r.state}`,
          style: { flexGrow: String((r.to - r.from) / total) },
          title: `${id} ${r.state} ${fmtTime(r.from, { seconds: false })} – ${fmtTime(r.to, { seconds: false })}${r.state === "on" ? ` · ${fmtNum(Math.min(...r.heat), "kW")}–${fmtNum(Math.max(...r.heat), "kW")}` : ""}`,
        }, (r.to - r.from) / total > 0.06 ? (r.state === "on" ? "ON" : r.state === "off" ? "off" : "?") : ""))),
      el("span", { class: "strip-sum" }, `${fmtNum(onH, "h", 1)} on · ${starts} start${starts === 1 ? "" : "s"}`));
  }));
}

function renderOverrides() {
  const list = $("#plan-overrides");
  const p = store.plan;
  const ids = (p?.overrides ?? []).map(String);
  if (!p) { fill(list); return; }
  if (!ids.length) { fill(list, el("li", { class: "empty" }, "Made with no override.")); return; }
  fill(list, ids.map((id) => {
    const o = store.overrides.find((x) => String(x.id) === id);
    return el("li", { dataset: { id } }, el("b", null, `#${id}`), " ",
      o ? `${o.target} · ${o.kind}${o.value !== null && o.value !== undefined ? ` = ${fmtNum(o.value)}` : ""} · ${fmtTime(o.start, { seconds: false })} → ${fmtTime(o.expiry, { seconds: false })} · ${o.author}: “${o.reason}”`
        : "(no longer active)");
  }));
}

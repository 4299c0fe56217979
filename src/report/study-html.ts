import { escapeHtml, jsonForScript } from "./escape.ts";
import { REPORT_CSS } from "./style.ts";
import { SERIES_CYCLE } from "./palette.ts";

/** What study.html shows: the cases this folder holds, their axes and KPIs (pure data, no files). */
export interface StudyTable {
  name: string;
  description: string;
  scenario: string;
  controllers: string[];
  axes: { path: string; values: (number | string | boolean)[] }[];
  totalCases: number;
  missing: number[];
  kpis: string[];
  rows: { index: number; key: string; controller: string; values: (number | string | boolean)[]; status: string; kpis: Record<string, number | null> }[];
  shard?: { index: number; count: number };
}

/** Which way is better, for the "best case" table and the default sort; a KPI in neither set is shown, not judged. */
export const HIGHER_IS_BETTER = ["value_eur", "net_value_eur", "revenue_eur", "heat_recovered_mwh", "heat_sold_mwh", "heat_greenhouse_mwh", "co2_avoided_t", "energy_reuse_factor", "hp_seasonal_cop", "storage_change_value_eur"];
export const LOWER_IS_BETTER = ["electricity_cost_eur", "electricity_mwh", "start_cost_eur", "heat_dumped_mwh", "greenhouse_discomfort_kh", "comfort_penalty_eur", "greenhouse_above_damage_h", "cooling_violation_min", "hp_starts", "hp_short_runs"];

const STUDY_CSS = `
.wrap{overflow-x:auto;max-width:100%}
table.cases{width:auto;font-size:.85rem}
table.cases th button{all:unset;cursor:pointer;font-weight:600}
table.cases th button:focus-visible{outline:2px solid #0b5394}
table.cases th[aria-sort] button::after{content:" ▲";font-size:.7em}
table.cases th[aria-sort=descending] button::after{content:" ▼"}
tr.failed td{color:#a61b1b}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1.2rem}
.controls{margin:.6rem 0}
.note{color:var(--muted)}
`;

/** The page's script: builds the table, the charts and the best cases for the KPI chosen in the menu. */
const SCRIPT = String.raw`
const T = JSON.parse(document.getElementById("study-data").textContent);
const COLORS = JSON.parse(document.getElementById("study-colors").textContent);
const HIGHER = new Set(JSON.parse(document.getElementById("study-higher").textContent));
const LOWER = new Set(JSON.parse(document.getElementById("study-lower").textContent));
const sel = document.getElementById("kpi");
const fmt = (v) => (v === null || v === undefined ? "—" : typeof v === "number" ? (Math.abs(v) >= 100 ? v.toLocaleString("en-GB", { maximumFractionDigits: 1 }) : v.toLocaleString("en-GB", { maximumFractionDigits: 3 })) : String(v));
const el = (tag, props, ...kids) => { const e = document.createElement(tag); Object.assign(e, props || {}); for (const k of kids) e.append(k); return e; };
const better = (k) => (HIGHER.has(k) ? 1 : LOWER.has(k) ? -1 : 0);
let sortCol = "kpi:" + sel.value, sortDir = -1;
const colValue = (r, c) => c === "case" ? r.index : c === "controller" ? r.controller : c === "status" ? r.status : c.startsWith("axis:") ? r.values[Number(c.slice(5))] : r.kpis[c.slice(4)];
function table() {
  const cols = ["case", "controller", ...T.axes.map((a, i) => "axis:" + i), "status", ...T.kpis.map((k) => "kpi:" + k)];
  const label = (c) => c.startsWith("axis:") ? T.axes[Number(c.slice(5))].path : c.startsWith("kpi:") ? c.slice(4) : c;
  const rows = [...T.rows].sort((a, b) => {
    const x = colValue(a, sortCol), y = colValue(b, sortCol);
    if (x === y) return a.index - b.index;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * sortDir;
  });
  const head = el("tr", {}, ...cols.map((c) => {
    const th = el("th", { scope: "col", className: c.startsWith("kpi:") || c === "case" ? "num" : "" }, el("button", { type: "button", textContent: label(c), onclick: () => { sortDir = sortCol === c ? -sortDir : (c.startsWith("kpi:") && better(c.slice(4)) < 0 ? 1 : -1); sortCol = c; table(); } }));
    if (c === sortCol) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
    return th;
  }));
  const body = rows.map((r) => el("tr", { className: r.status === "ok" ? "" : "failed" }, ...cols.map((c) => el("td", { className: c.startsWith("kpi:") || c === "case" ? "num" : "", textContent: fmt(colValue(r, c)) }))));
  document.getElementById("cases").replaceChildren(el("thead", {}, head), el("tbody", {}, ...body));
}
function best() {
  const k = sel.value, dir = better(k) || 1;
  const rows = T.controllers.map((ctl) => {
    const cand = T.rows.filter((r) => r.controller === ctl && typeof r.kpis[k] === "number");
    if (!cand.length) return el("tr", {}, el("td", { textContent: ctl }), el("td", { colSpan: 3, textContent: "no case" }));
    const b = cand.reduce((p, r) => (r.kpis[k] * dir > p.kpis[k] * dir ? r : p));
    return el("tr", {}, el("td", { textContent: ctl }), el("td", { className: "num", textContent: String(b.index) }), el("td", { textContent: T.axes.map((a, i) => a.path + " = " + fmt(b.values[i])).join(", ") }), el("td", { className: "num", textContent: fmt(b.kpis[k]) }));
  });
  document.getElementById("best-kpi").textContent = k + (better(k) > 0 ? " (highest)" : better(k) < 0 ? " (lowest)" : " (highest; this KPI is neither better high nor low)");
  document.getElementById("best").replaceChildren(...rows);
}
function charts() {
  const k = sel.value, box = document.getElementById("charts");
  box.replaceChildren();
  T.axes.forEach((axis, ai) => {
    const numeric = axis.values.every((v) => typeof v === "number");
    const xs = numeric ? [...axis.values].sort((a, b) => a - b) : axis.values;
    const at = (v) => xs.findIndex((x) => x === v);
    // One line per controller and combination of the other axes, or per controller averaged over them when that would be too many lines.
    const other = (r) => T.axes.map((a, j) => (j === ai ? null : a.path + "=" + fmt(r.values[j]))).filter(Boolean).join(", ");
    const combos = new Set(T.rows.map(other));
    const perCombo = combos.size * T.controllers.length <= 12;
    const groups = new Map();
    for (const r of T.rows) {
      if (typeof r.kpis[k] !== "number") continue;
      const g = perCombo ? r.controller + (other(r) ? " · " + other(r) : "") : r.controller + (combos.size > 1 ? " (mean over the other axes)" : "");
      if (!groups.has(g)) groups.set(g, xs.map(() => []));
      groups.get(g)[at(r.values[ai])].push(r.kpis[k]);
    }
    const names = [...groups.keys()];
    const data = [numeric ? xs : xs.map((_, i) => i), ...names.map((g) => groups.get(g).map((v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null)))];
    const div = el("div", {});
    box.append(div);
    new uPlot({
      title: k + " against " + axis.path, width: Math.min(560, box.clientWidth || 560), height: 300,
      scales: { x: { time: false } },
      axes: [{ label: axis.path, ...(numeric ? (xs.length <= 12 ? { splits: () => xs } : {}) : { splits: () => xs.map((_, i) => i), values: (u, s) => s.map((i) => String(xs[i] ?? "")) }) }, { label: k, size: 70 }],
      series: [{ label: axis.path, value: (u, v) => (v === null ? "—" : numeric ? fmt(v) : String(xs[v] ?? "")) }, ...names.map((g, i) => ({ label: g, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 7 }, spanGaps: true, value: (u, v) => fmt(v) }))],
    }, data, div);
  });
}
const draw = () => { sortCol = "kpi:" + sel.value; sortDir = better(sel.value) < 0 ? 1 : -1; table(); best(); charts(); };
sel.addEventListener("change", draw);
draw();
`;

export function renderStudyHtml(t: StudyTable, assets: { js: string; css: string }): string {
  const preferred = t.kpis.includes("value_eur") ? "value_eur" : (t.kpis[0] ?? "");
  const ok = t.rows.filter((r) => r.status === "ok").length;
  const failed = t.rows.length - ok;
  const count = `${ok} of ${t.totalCases} cases${failed ? `, ${failed} failed` : ""}${t.shard ? ` (shard ${t.shard.index}/${t.shard.count}; merge the shards with chaleur sweep --merge)` : ""}`;
  const missing = t.missing.length ? `<p class="note">Not in this folder: case${t.missing.length === 1 ? "" : "s"} ${escapeHtml(t.missing.slice(0, 40).join(", "))}${t.missing.length > 40 ? ", …" : ""}. Run the study again to finish it, or merge its shards.</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(t.name)} — chaleur study</title>
<style>${REPORT_CSS}${STUDY_CSS}${assets.css}</style></head>
<body><main>
<h1>${escapeHtml(t.name)}</h1>
<p class="description">${escapeHtml(t.description)}</p>
<dl class="meta"><dt>Base scenario</dt><dd>${escapeHtml(t.scenario)}</dd>
<dt>Axes</dt><dd>${t.axes.map((a) => `${escapeHtml(a.path)}: ${escapeHtml(a.values.join(", "))}`).join("<br>")}</dd>
<dt>Controllers</dt><dd>${escapeHtml(t.controllers.join(", "))}</dd>
<dt>Cases</dt><dd>${escapeHtml(count)}</dd></dl>
${missing}
<p class="controls"><label for="kpi">KPI shown in the charts and the best cases </label><select id="kpi">${t.kpis.map((k) => `<option${k === preferred ? " selected" : ""}>${escapeHtml(k)}</option>`).join("")}</select></p>
<p class="note"><code>value_eur</code> is what controllers are compared on: net value − priced greenhouse discomfort + the change in stored heat. Each case's own report is in <code>cases/&lt;key&gt;/report.html</code>; <code>cases.csv</code> holds this table.</p>
<h2>Best case per controller: <span id="best-kpi"></span></h2>
<table><thead><tr><th>controller</th><th class="num">case</th><th>axes</th><th class="num">KPI</th></tr></thead><tbody id="best"></tbody></table>
<h2>The KPI against each axis</h2>
<div class="charts" id="charts"></div>
<h2>Every case (click a heading to sort)</h2>
<div class="wrap"><table class="cases" id="cases"></table></div>
</main>
<script type="application/json" id="study-data">${jsonForScript(t)}</script>
<script type="application/json" id="study-colors">${jsonForScript(SERIES_CYCLE)}</script>
<script type="application/json" id="study-higher">${jsonForScript(HIGHER_IS_BETTER)}</script>
<script type="application/json" id="study-lower">${jsonForScript(LOWER_IS_BETTER)}</script>
<script>${assets.js.replace(/<\/script/gi, "<\\/script")}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/**
 * `chaleur compare`: runs side by side in one self-contained HTML page — the runs named, their KPIs with each run's
 * difference to the first, where the value was won or lost (by use of heat and by Paris day, from
 * value-breakdown.ts) and the same charts overlaid, one colour per run. Pure: runs in, HTML and console lines out.
 */
import { InputError } from "../config/errors.ts";
import { escapeHtml } from "./escape.ts";
import { formatAuto, formatNumber, isFiniteNumber, MISSING } from "./format.ts";
import type { Kpis } from "./kpis.ts";
import { cycleColor } from "./palette.ts";
import { formatParisDateTime } from "./paris-time.ts";
import type { RunInfo } from "./run-info.ts";
import { kpiRows, kpiValue } from "./run-report.ts";
import { REPORT_CSS } from "./style.ts";
import { reportPage } from "./html.ts";
import { legendSwatch, PLOT_LEFT, PLOT_RIGHT, VIEW_WIDTH } from "./svg-charts.ts";
import { compareCharts } from "./compare-charts.ts";
import { USES, valueBreakdown, type Timeseries, type ValueBreakdown } from "./value-breakdown.ts";

export interface CompareRun {
  /** The run folder as given on the command line. */
  dir: string;
  files: { kpis: string; timeseries: string };
  /** run.json, or null for a run simulated before chaleur wrote one. */
  info: RunInfo | null;
  kpis: Record<string, unknown>;
  series: Timeseries;
}

export interface Comparison {
  html: string;
  /** A few lines for the console: value per run and its difference to the first. */
  summary: string[];
}

/** Runs compare step by step only over the same period at the same step; else one line naming the odd run. */
export function checkSamePeriod(runs: readonly CompareRun[]): void {
  const span = (r: CompareRun) => {
    const t = r.series.timeMs;
    const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
    return { key: `${t[0]}/${t.length}/${r.series.stepS}`, text: `${iso(t[0]!)} to ${iso(t[0]! + t.length * r.series.stepS * 1000)} in ${r.series.stepS}-s steps` };
  };
  const first = span(runs[0]!);
  for (const r of runs.slice(1)) {
    const s = span(r);
    if (s.key !== first.key) throw new InputError(r.files.timeseries, "", `the period and step of ${runs[0]!.dir} (${first.text})`, `got ${s.text}`);
  }
}

/** "Paris winter week — mpc [model.storage.height_m=12]"; the folder's name for a run without run.json. */
export function runLabels(runs: readonly CompareRun[]): string[] {
  const base = runs.map((r) => {
    if (!r.info) return r.dir.replace(/[\\/]+$/, "").split(/[\\/]/).at(-1) || r.dir;
    const sets = r.info.sets?.length ? ` [${r.info.sets.join(", ")}]` : "";
    return `${r.info.scenario.name} — ${r.info.controller}${sets}`;
  });
  // Two runs of the same scenario, controller and changes (e.g. before and after a code change): add the folder.
  return base.map((l, i) => (base.indexOf(l) !== base.lastIndexOf(l) ? `${l} (${runs[i]!.dir})` : l));
}

/** +1: more is better, −1: less is better; absent: no verdict (more heat sold can cost more than it earns). */
const BETTER: Partial<Record<string, 1 | -1>> = {
  value_eur: 1,
  net_value_eur: 1,
  storage_change_value_eur: 1,
  co2_avoided_t: 1,
  energy_reuse_factor: 1,
  hp_seasonal_cop: 1,
  heat_dumped_mwh: -1,
  start_cost_eur: -1,
  hp_starts: -1,
  hp_short_runs: -1,
  greenhouse_discomfort_kh: -1,
  greenhouse_above_damage_h: -1,
  comfort_penalty_eur: -1,
  cooling_violation_min: -1,
  max_balance_residual_kw: -1,
  solve_ms_p50: -1,
  solve_ms_p95: -1,
};

const num = (v: unknown): number | null => (isFiniteNumber(v) ? v : null);
const money = (eur: number) => `${formatNumber(eur, 2)}\u00a0€`;
function signed(x: number, decimals: number): string {
  const s = formatNumber(x, decimals);
  return x > 0 && /[1-9]/.test(s) ? `+${s}` : s;
}
/** The class of a difference: better, worse, or none when there is no verdict or no difference. */
function verdict(diff: number, better: 1 | -1 | undefined, decimals: number): string {
  if (!better || Math.abs(diff) < 0.5 * 10 ** -decimals) return "";
  return diff * better > 0 ? "better" : "worse";
}
const cls = (c: string, extra = "num") => ` class="${extra}${c ? ` ${c}` : ""}"`;

interface Row {
  key: string;
  label: string;
  unit: string;
  values: (number | null)[];
}

function kpiTableRows(runs: readonly CompareRun[]): Row[] {
  const rows: Row[] = kpiRows(runs[0]!.kpis as unknown as Kpis).map((r) => ({ key: r.key, label: r.label, unit: r.unit, values: runs.map((run) => num(kpiValue(run.kpis, r.key))) }));
  // KPIs added after this page was written still show, under their JSON name.
  const known = new Set(rows.map((r) => r.key));
  for (const key of new Set(runs.flatMap((r) => Object.keys(r.kpis)))) {
    if (!known.has(key) && runs.some((r) => isFiniteNumber(r.kpis[key]))) rows.push({ key, label: key, unit: "", values: runs.map((run) => num(run.kpis[key])) });
  }
  const modes = new Set<string>();
  for (const r of runs) {
    const m = r.kpis.mode_minutes;
    if (typeof m === "object" && m !== null) for (const k of Object.keys(m)) modes.add(k);
  }
  for (const mode of modes) {
    rows.push({ key: `mode_minutes.${mode}`, label: `Time in controller mode '${mode}'`, unit: "min", values: runs.map((run) => num((run.kpis.mode_minutes as Record<string, unknown> | undefined)?.[mode])) });
  }
  return rows;
}

/** Decimals that show a difference to two significant digits (0.00031 → 0.00031 would be 5; capped at 4). */
function diffDecimals(d: number): number {
  const a = Math.abs(d);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return Math.min(4, Math.ceil(-Math.log10(a)) + 1);
}

function diffCells(values: readonly (number | null)[], better: 1 | -1 | undefined, decimals: (d: number) => number, withPct: boolean): string {
  const a = values[0];
  return values
    .slice(1)
    .map((b) => {
      if (a === null || a === undefined || b === null) return `<td class="num">${MISSING}</td>`;
      const d = b - a;
      const dec = decimals(d);
      const pct = withPct && a !== 0 && d !== 0 ? ` <span class="pct">(${signed((d / Math.abs(a)) * 100, 1)}\u00a0%)</span>` : "";
      return `<td${cls(verdict(d, better, dec))} data-diff="${d}">${signed(d, dec)}${pct}</td>`;
    })
    .join("");
}

function kpiTable(runs: readonly CompareRun[], labels: readonly string[]): string {
  const head = `<tr><th>Indicator</th><th>Unit</th>${labels.map((l, i) => `<th class="num" title="${escapeHtml(l)}">Run ${i + 1}</th>`).join("")}${labels.slice(1).map((_, i) => `<th class="num">Run ${i + 2} − run 1</th>`).join("")}</tr>`;
  const body = kpiTableRows(runs)
    .map((r) => {
      const money2 = r.unit === "€";
      const cells = r.values.map((v) => `<td class="num" data-value="${v ?? ""}">${money2 && v !== null ? formatNumber(v, 2) : formatAuto(v)}</td>`).join("");
      const dec = (d: number) => (money2 ? 2 : diffDecimals(d));
      return `<tr data-kpi="${escapeHtml(r.key)}"><td>${escapeHtml(r.label)}</td><td class="unit">${escapeHtml(r.unit)}</td>${cells}${diffCells(r.values, BETTER[r.key] ?? (r.key.startsWith("hp_starts_by_unit.") ? -1 : undefined), dec, true)}</tr>`;
    })
    .join("");
  return (
    `<div class="wide"><table class="kpis compare"><thead>${head}</thead><tbody>${body}</tbody></table></div>` +
    `<p class="caption">Differences are each run minus run 1, with the change in % of run 1; green where the change is plainly better (more value, less discomfort, fewer starts…), vermillion where it is worse, uncoloured where more or less is neither (more heat sold can cost more electricity than it earns: value says which).</p>`
  );
}

/** One sentence: where run k won and lost most against run 1, by use and by day. */
function gainLossSentence(label: string, base: string, b: ValueBreakdown, b0: ValueBreakdown): string {
  const uses = USES.map((u) => ({ name: u.short, d: b.byUse[u.key] - b0.byUse[u.key] }));
  const byDate = new Map(b0.days.map((d) => [d.date, d.totalEur]));
  const days = b.days.map((d) => ({ name: d.label, d: d.totalEur - (byDate.get(d.date) ?? 0) }));
  const best = <T extends { d: number }>(xs: T[], sign: 1 | -1) => xs.filter((x) => x.d * sign >= 0.005).sort((x, y) => (y.d - x.d) * sign)[0];
  const total = b.totalEur - b0.totalEur;
  const gain = best(uses, 1);
  const loss = best(uses, -1);
  const dayGain = best(days, 1);
  const dayLoss = best(days, -1);
  const day = (x: { name: string; d: number }) => `${x.name} (${signed(x.d, 2)}\u00a0€)`;
  const dayPart =
    dayGain && dayLoss
      ? `its best day is ${day(dayGain)}, its worst ${day(dayLoss)}`
      : dayGain
        ? `its best day is ${day(dayGain)} and no day is worse`
        : dayLoss
          ? `its worst day is ${day(dayLoss)} and no day is better`
          : "no day differs";
  return (
    `${label} ${total >= 0 ? "gains" : "loses"} ${money(Math.abs(total))} against ${base}: ` +
    (gain ? `it gains most on ${gain.name} (${signed(gain.d, 2)}\u00a0€)` : "it gains on no use") +
    (loss ? ` and loses most on ${loss.name} (${signed(loss.d, 2)}\u00a0€)` : " and loses on none") +
    `; ${dayPart}.`
  );
}

/** A table of € by row for the runs that have a breakdown (`cols`: their indices, run 1 first), with differences to run 1. */
function valueTable(id: string, first: string, rows: { key: string; label: string; values: (number | null)[] }[], total: (number | null)[], cols: readonly number[], labels: readonly string[]): string {
  const head = `<tr><th>${first}</th>${cols.map((i) => `<th class="num" title="${escapeHtml(labels[i])}">Run ${i + 1} (€)</th>`).join("")}${cols.slice(1).map((i) => `<th class="num">Run ${i + 1} − run 1 (€)</th>`).join("")}</tr>`;
  const line = (r: { key: string; label: string; values: (number | null)[] }) => {
    const vs = cols.map((i) => r.values[i] ?? null);
    return `<tr data-${id}="${escapeHtml(r.key)}"><td>${escapeHtml(r.label)}</td>${vs.map((v) => `<td class="num" data-value="${v ?? ""}">${v === null ? MISSING : formatNumber(v, 2)}</td>`).join("")}${diffCells(vs, 1, () => 2, false)}</tr>`;
  };
  return `<div class="wide"><table class="value-${id}"><thead>${head}</thead><tbody>${rows.map(line).join("")}</tbody><tfoot>${line({ key: "total", label: "Total", values: total })}</tfoot></table></div>`;
}

function valueSection(runs: readonly CompareRun[], labels: readonly string[], breakdowns: readonly (ValueBreakdown | null)[]): string {
  const missing = runs.map((r, i) => (breakdowns[i] ? "" : `<li>Run ${i + 1} (${escapeHtml(r.dir)}): no run.json beside its outputs — it was simulated before chaleur wrote one, so its prices are not known here; simulate it again to see its value by use and by day.</li>`)).filter(Boolean);
  const b0 = breakdowns[0];
  const notes: string[] = [];
  runs.forEach((r, i) => {
    const b = breakdowns[i];
    const v = num(r.kpis.value_eur);
    // The CSV's 3 decimals leave cents; more is a start cut short before the unit made heat (the CSV cannot show it).
    if (b && v !== null && Math.abs(b.totalEur - v) >= 1) notes.push(`<li>Run ${i + 1}: the breakdown totals ${money(b.totalEur)} but kpis.json says value_eur ${money(v)}; the ${money(v - b.totalEur)} between is not in the time series (e.g. a heat-pump start cut short by a trip before it made heat).</li>`);
  });
  const list = (items: string[]) => (items.length ? `<ul class="notes">${items.join("")}</ul>` : "");
  if (!b0 || breakdowns.filter(Boolean).length < 2) {
    return `<p class="empty">The value by use and by day needs run.json for run 1 and at least one other run.</p>${list(missing)}`;
  }
  const sentences = runs.map((_, i) => (i > 0 && breakdowns[i] ? `<p class="verdict">${escapeHtml(gainLossSentence(`Run ${i + 1} (${labels[i]})`, "run 1", breakdowns[i]!, b0))}</p>` : "")).join("");
  const totals = breakdowns.map((b) => (b ? b.totalEur : null));
  const cols = breakdowns.flatMap((b, i) => (b ? [i] : []));
  const useRows = USES.map((u) => ({ key: u.key, label: u.label, values: breakdowns.map((b) => (b ? b.byUse[u.key] : null)) }));
  const dayRows = b0.days.map((d) => ({ key: d.date, label: d.label, values: breakdowns.map((b) => b?.days.find((x) => x.date === d.date)?.totalEur ?? null) }));
  return (
    sentences +
    `<h3>By use of heat</h3>${valueTable("use", "Use", useRows, totals, cols, labels)}` +
    `<p class="caption">Each use valued as value_eur values it: heat at the model's prices, electricity at the day-ahead price plus the grid fee step by step, starts at their cost, discomfort at its penalty, the store's change at the sale price × the store's efficiency. Each run is valued with its own run.json (a --set on prices changes them).</p>` +
    `<h3>By day (Europe/Paris)</h3>${valueTable("day", "Day", dayRows, totals, cols, labels)}` +
    list([...missing, ...notes])
  );
}

function runsTable(runs: readonly CompareRun[], labels: readonly string[]): string {
  const rows = runs
    .map((r, i) => {
      const info = r.info;
      const cells = [
        `${legendSwatch(cycleColor(i), "line")} Run ${i + 1}`,
        escapeHtml(labels[i]),
        escapeHtml(r.dir),
        info ? escapeHtml(info.scenario.file) : MISSING,
        info ? escapeHtml(info.controller) : MISSING,
        info ? (info.sets.length ? info.sets.map((s) => `<code>${escapeHtml(s)}</code>`).join(" ") : "none") : MISSING,
        info ? escapeHtml(info.model.name) : MISSING,
        info ? escapeHtml(info.chaleur_version) : "no run.json",
      ];
      return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<div class="wide"><table class="runs"><thead><tr><th>Run</th><th>Name</th><th>Folder</th><th>Scenario file</th><th>Controller</th><th>Changes (--set)</th><th>Model</th><th>chaleur</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

const EXTRA_CSS = `
td.better{color:#00734f;font-weight:600}td.worse{color:#b8460b;font-weight:600}
.pct{color:var(--muted);font-weight:400}
.wide{overflow-x:auto}table.compare td:first-child{min-width:15em}
table.runs td{font-size:.9rem}table.runs td:first-child{white-space:nowrap}table.runs code{font-size:.85rem}
.verdict{margin:.4rem 0 .9rem;max-width:70em}
h3{margin-top:1.2rem}
`;

export function compareRuns(runs: readonly CompareRun[]): Comparison {
  if (runs.length < 2) throw new InputError("compare", "", "at least two run folders", `got ${runs.length}`);
  checkSamePeriod(runs);
  const labels = runLabels(runs);
  const breakdowns = runs.map((r) => (r.info ? valueBreakdown(r.series, r.info.economics) : null));
  const t = runs[0]!.series.timeMs;
  const stepS = runs[0]!.series.stepS;
  const startMs = t[0]!;
  const endMs = startMs + t.length * stepS * 1000;
  const period = `${formatParisDateTime(startMs)} → ${formatParisDateTime(endMs)}, ${formatNumber(t.length)} steps of ${stepS} s`;
  const charts = compareCharts(runs.map((r) => r.series), labels, runs[0]!.info?.economics.comfort ?? null);

  const sections = [
    { id: "runs", title: "Runs", body: runsTable(runs, labels) },
    { id: "kpis", title: "Key performance indicators", body: kpiTable(runs, labels) },
    { id: "value", title: "Where the value was won or lost", body: valueSection(runs, labels, breakdowns) },
    { id: "charts", title: "Charts", body: charts.html || `<p class="empty">No time series to draw.</p>` },
  ];
  const data = { width: VIEW_WIDTH, left: PLOT_LEFT, right: PLOT_RIGHT, x: charts.x, labels: charts.labels, charts: charts.tooltip };
  const html = reportPage({
    title: `chaleur — compare: ${labels.join(" / ")}`,
    css: `${REPORT_CSS}${EXTRA_CSS}`,
    header: `<header><h1>chaleur — ${runs.length} runs compared</h1><p class="scenario">${labels.map((l, i) => `${i + 1}. <strong>${escapeHtml(l)}</strong>`).join(" · ")}</p><dl class="meta"><dt>Period (Europe/Paris)</dt><dd>${period}</dd></dl></header>`,
    sections,
    footer: "Generated by chaleur compare.",
    data,
  });

  const v0 = num(runs[0]!.kpis.value_eur);
  const summary = [`${runs.length} runs, ${period.replace(/\u202f/g, ",")}:`];
  runs.forEach((r, i) => {
    const v = num(r.kpis.value_eur);
    const diff = i > 0 && v !== null && v0 !== null ? ` (${v - v0 >= 0 ? "+" : ""}${(v - v0).toFixed(2)} € against run 1)` : "";
    summary.push(`  ${i + 1}. ${labels[i]}: value ${v === null ? "unknown" : `${v.toFixed(2)} €`}${diff}`);
  });
  const b0 = breakdowns[0];
  breakdowns.forEach((b, i) => {
    if (i > 0 && b && b0) summary.push(`  ${gainLossSentence(`Run ${i + 1}`, "run 1", b, b0).replace(/[\u00a0\u202f]/g, " ").replace(/\u2212/g, "-")}`);
  });
  if (breakdowns.some((b) => !b)) summary.push(`  (runs without run.json are not valued by use and by day: simulate them again)`);
  return { html, summary };
}

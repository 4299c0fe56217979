/** The simulation report: one self-contained, deterministic HTML file (inline CSS/SVG, optional inline JS). */

import { allocationChart, heatPumpCharts, heatPumpPrefixes, priceChart, storageChart, temperatureChart } from "./charts.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";
import { formatAuto, formatMinutes, formatNumber, formatPercent, isFiniteNumber, MISSING } from "./format.ts";
import { formatParisDateTime, formatUtcDateTime, parseIsoMs } from "./paris-time.ts";
import { renderSankey } from "./sankey.ts";
import { REPORT_CSS, REPORT_JS } from "./style.ts";
import { PLOT_LEFT, PLOT_RIGHT, renderTimeChart, VIEW_WIDTH, type TimeChartSpec, type TooltipSeries } from "./svg-charts.ts";
import { timeTicks } from "./ticks.ts";
import { buildTimeGrid, type TimeGrid } from "./timegrid.ts";
import type { ChartSeries, KpiRow, ReportInput } from "./types.ts";

const text = (v: unknown): string => (typeof v === "string" ? v : isFiniteNumber(v) ? String(v) : "");

function headerHtml(input: ReportInput, series: ChartSeries): string {
  const start = parseIsoMs(text(input.startIso));
  const end = parseIsoMs(text(input.endIso));
  const paris =
    Number.isFinite(start) && Number.isFinite(end)
      ? `${formatParisDateTime(start)} → ${formatParisDateTime(end)}`
      : `${escapeHtml(text(input.startIso)) || MISSING} → ${escapeHtml(text(input.endIso)) || MISSING}`;
  const utc = Number.isFinite(start) && Number.isFinite(end) ? `${formatUtcDateTime(start)} → ${formatUtcDateTime(end)}` : MISSING;
  const duration = Number.isFinite(start) && Number.isFinite(end) ? formatMinutes((end - start) / 60_000) : MISSING;
  const points = series.timeMs.length;
  const rows: [string, string][] = [
    ["Model", escapeHtml(text(input.modelName)) || MISSING],
    ["Controller", escapeHtml(text(input.controller)) || MISSING],
    ["Period (Europe/Paris)", paris],
    ["Period (UTC)", utc],
    ["Duration", duration],
    ["Seed", isFiniteNumber(input.seed) ? String(input.seed) : MISSING],
    ["Chart data", points ? `${formatNumber(points)} points, ${escapeHtml(text(series.resolution)) || "resolution not stated"}` : "none"],
  ];
  const description = text(input.scenarioDescription);
  return (
    `<header><h1>${escapeHtml(text(input.title)) || "Simulation report"}</h1>` +
    `<p class="scenario">Scenario: <strong>${escapeHtml(text(input.scenarioName)) || MISSING}</strong></p>` +
    (description ? `<p class="description">${escapeHtml(description)}</p>` : "") +
    `<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl></header>`
  );
}

function kpiTable(kpis: readonly KpiRow[]): string {
  if (!kpis.length) return `<p class="empty">No KPIs.</p>`;
  const rows = kpis
    .map((k) => `<tr><td>${escapeHtml(text(k?.label) || text(k?.key))}</td><td class="num">${formatAuto(k?.value)}</td><td class="unit">${escapeHtml(text(k?.unit))}</td></tr>`)
    .join("");
  // One sentence on the value runs are compared on, where the run has it (a history report has no store change).
  const note = kpis.some((k) => k?.key === "value_eur")
    ? `<p class="caption">Controllers are compared on <em>value</em>: net value, minus the greenhouse's discomfort priced as the optimizer prices it, plus the change in the store's heat valued at the sale price times the store's efficiency — so that neither emptying the store nor letting the crop go cold counts as a gain.</p>`
    : "";
  return `<table class="kpis"><thead><tr><th>Indicator</th><th class="num">Value</th><th>Unit</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
}

function modeTable(modeMinutes: Record<string, number>): string {
  const entries = Object.entries(modeMinutes ?? {}).filter(([, v]) => typeof v === "number");
  if (!entries.length) return `<p class="empty">No controller modes recorded.</p>`;
  const total = entries.reduce((s, [, v]) => s + (Number.isFinite(v) ? v : 0), 0);
  const rows = entries
    .map(([mode, v]) => `<tr><td>${escapeHtml(mode)}</td><td class="num">${formatNumber(v, 0)}</td><td class="num">${formatMinutes(v)}</td><td class="num">${formatPercent(v, total)}</td></tr>`)
    .join("");
  return (
    `<table class="modes"><thead><tr><th>Mode</th><th class="num">Minutes</th><th class="num">Duration</th><th class="num">Share</th></tr></thead>` +
    `<tbody>${rows}</tbody><tfoot><tr><td>Total</td><td class="num">${formatNumber(total, 0)}</td><td class="num">${formatMinutes(total)}</td><td class="num">${formatPercent(total, total)}</td></tr></tfoot></table>`
  );
}

function notesList(notes: readonly string[]): string {
  const items = notes.map(text).filter((n) => n.trim() !== "");
  if (!items.length) return `<p class="empty">No notes.</p>`;
  return `<ul class="notes">${items.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`;
}

function tooltipLabels(grid: TimeGrid): string[] {
  return grid.buckets.map((b) =>
    b.indices.length > 1 ? `${formatParisDateTime(b.t0, false)} – ${formatParisDateTime(b.t1)} (mean of ${b.indices.length})` : formatParisDateTime(b.t0),
  );
}

/** Normalise the series defensively: non-array columns are dropped, times that are not numbers become NaN. */
function safeSeries(series: ChartSeries | undefined): ChartSeries {
  const timeMs = Array.isArray(series?.timeMs) ? series.timeMs.map((t) => (typeof t === "number" ? t : Number.NaN)) : [];
  const columns: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(series?.columns ?? {})) if (Array.isArray(v)) columns[k] = v;
  return { timeMs, resolution: text(series?.resolution), columns };
}

interface Section {
  id: string;
  title: string;
  body: string;
}

/** Render the whole report. Pure and deterministic: the same input gives byte-identical output. Never throws on missing columns. */
export function renderReport(input: ReportInput): string {
  const series = safeSeries(input.series);
  const resolution = series.resolution || "one point per sample";
  const cols = series.columns;
  const hasTime = series.timeMs.some(Number.isFinite);
  const grid = buildTimeGrid(series.timeMs, PLOT_LEFT, PLOT_RIGHT);
  const ticks = hasTime ? timeTicks(grid.t0, grid.t1, 9) : [];
  const tooltip: Record<string, TooltipSeries[]> = {};
  const chart = (spec: TimeChartSpec): string => {
    if (!hasTime) return "";
    const r = renderTimeChart(spec, grid, ticks);
    if (!r) return "";
    tooltip[spec.id] = r.tooltip;
    return r.html;
  };

  const sections: Section[] = [];
  const summary =
    `<div class="tables"><div><h3>Key performance indicators</h3>${kpiTable(Array.isArray(input.kpis) ? input.kpis : [])}</div>` +
    `<div><h3>Controller modes</h3>${modeTable(input.modeMinutes)}</div></div>` +
    `<h3 class="notes-title" id="notes">Notes</h3>${notesList(Array.isArray(input.notes) ? input.notes : [])}`;
  sections.push({ id: "summary", title: "Summary", body: summary });
  const heat = [allocationChart(cols, resolution), ...heatPumpCharts(heatPumpPrefixes(input.heatPumps, cols), cols, resolution)].map(chart).join("");
  if (heat) sections.push({ id: "heat", title: "Heat", body: heat });
  const temps = chart(temperatureChart(cols, resolution));
  if (temps) sections.push({ id: "temperatures", title: "Temperatures", body: temps });
  const price = chart(priceChart(cols, resolution));
  if (price) sections.push({ id: "price", title: "Electricity price", body: price });
  const storage = chart(storageChart(cols, resolution));
  if (storage) sections.push({ id: "storage", title: "Storage", body: storage });
  if (!hasTime) sections.push({ id: "timeseries", title: "Time series", body: `<p class="empty">No time-series data in this run.</p>` });
  sections.push({
    id: "flows",
    title: "Heat flows over the period",
    body: `<figure class="flows" id="sankey"><figcaption><p class="caption">Energy in MWh; link widths are proportional to energy. Flows of zero are omitted.</p></figcaption>${renderSankey(Array.isArray(input.flows) ? input.flows : [])}</figure>`,
  });

  const data = { width: VIEW_WIDTH, left: PLOT_LEFT, right: PLOT_RIGHT, x: grid.buckets.map((b) => Math.round(b.x * 10) / 10), labels: tooltipLabels(grid), charts: tooltip };
  const title = text(input.title) || "Simulation report";
  const scenario = text(input.scenarioName);
  return reportPage({
    title: scenario ? `${title} — ${scenario}` : title,
    css: REPORT_CSS,
    header: headerHtml(input, series),
    sections,
    hint: true,
    footer: "Generated by chaleur.",
    data,
  });
}

/**
 * The page every self-contained report shares (run report, compare): head, contents, sections, footer, and the
 * chart data the tooltip script reads.
 */
export function reportPage(p: { title: string; css: string; header: string; sections: readonly { id: string; title: string; body: string }[]; hint?: boolean; footer: string; data: unknown }): string {
  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="chaleur">`,
    `<title>${escapeHtml(p.title)}</title>`,
    `<style>${p.css}</style>`,
    `</head>`,
    `<body>`,
    `<main>`,
    p.header,
    `<nav class="toc" aria-label="Contents">${p.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("")}</nav>`,
    ...(p.hint ? [`<p class="hint" hidden>Hover over a chart to read values; click a legend entry to hide or show that series.</p>`] : []),
    ...p.sections.map((s) => `<section id="${s.id}" class="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.body}</section>`),
    `<footer>${p.footer} Times are Europe/Paris local time (CET/CEST) unless marked UTC. This file is self-contained and works offline.</footer>`,
    `</main>`,
    `<script type="application/json" id="chart-data">${jsonForScript(p.data)}</script>`,
    `<script>${REPORT_JS}</script>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}

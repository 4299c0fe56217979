/**
 * Time-series charts as inline SVG strings: y-axis with nice ticks, Paris-time x-axis, stacked areas, lines,
 * horizontal bands and negative-value highlighting. Every chart of a report shares one TimeGrid so x-axes align.
 */

import { escapeHtml } from "./escape.ts";
import { coord, formatNumber, isFiniteNumber } from "./format.ts";
import { COLORS } from "./palette.ts";
import { niceTicks, type TimeTick } from "./ticks.ts";
import { bucketMean, linePath, stackExtent, stackLayers, valueExtent, type TimeGrid } from "./timegrid.ts";

export const VIEW_WIDTH = 960;
export const PLOT_LEFT = 76;
export const PLOT_RIGHT = VIEW_WIDTH - 24;
const MARGIN_TOP = 12;
/** Room under the plot: tick labels, an optional second label line, the axis title. */
const MARGIN_BOTTOM_ONE_LINE = 40;
const MARGIN_BOTTOM_TWO_LINES = 54;

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  unit: string;
  values: ArrayLike<number>;
}

export interface LineSpec extends SeriesSpec {
  dash?: string;
  width?: number;
  /** Highlight values below zero (thick overlay + shaded negative region). */
  markNegative?: boolean;
}

export interface BandSpec {
  lo: number;
  hi: number;
  label: string;
  color: string;
}

export interface TimeChartSpec {
  id: string;
  title: string;
  /** Short explanation under the title. */
  caption?: string;
  yLabel: string;
  height?: number;
  areas?: SeriesSpec[];
  lines?: LineSpec[];
  bands?: BandSpec[];
  includeZero?: boolean;
}

/** One series' values per time bucket for the hover tooltip. */
export interface TooltipSeries {
  key: string;
  label: string;
  unit: string;
  color: string;
  decimals: number;
  values: (number | null)[];
}

export interface RenderedChart {
  html: string;
  tooltip: TooltipSeries[];
}

export function hasFiniteValue(values: ArrayLike<number> | undefined): boolean {
  if (!values) return false;
  for (let i = 0; i < values.length; i++) if (isFiniteNumber(values[i])) return true;
  return false;
}

function tooltipSeries(grid: TimeGrid, s: SeriesSpec, extentMax: number): TooltipSeries {
  const decimals = extentMax < 10 ? 2 : extentMax < 100 ? 1 : 0;
  const f = 10 ** decimals;
  return {
    key: s.key,
    label: s.label,
    unit: s.unit,
    color: s.color,
    decimals,
    values: grid.buckets.map((b) => {
      const v = bucketMean(s.values, b);
      return Number.isFinite(v) ? Math.round(v * f) / f : null;
    }),
  };
}

export function legendSwatch(color: string, kind: "area" | "line" | "band", dash?: string): string {
  const c = escapeHtml(color);
  if (kind === "line") {
    const d = dash ? ` stroke-dasharray="${escapeHtml(dash)}"` : "";
    return `<svg class="swatch" width="22" height="12" viewBox="0 0 22 12" aria-hidden="true"><path d="M1,6H21" stroke="${c}" stroke-width="2.5"${d}/></svg>`;
  }
  const opacity = kind === "band" ? "0.25" : "0.85";
  return `<svg class="swatch" width="14" height="12" viewBox="0 0 14 12" aria-hidden="true"><rect x="0.5" y="0.5" width="13" height="11" fill="${c}" fill-opacity="${opacity}" stroke="${c}"/></svg>`;
}

function legendItem(key: string, label: string, swatch: string, toggle = true): string {
  const attr = toggle ? ` data-key="${escapeHtml(key)}"` : "";
  return `<span class="key"${attr}>${swatch}${escapeHtml(label)}</span>`;
}

/** Centre a tick label unless it would stick out of the SVG (estimated at ~6.6 units per character). */
function anchorFor(x: number, label: string): "start" | "middle" | "end" {
  const half = (label.length * 6.6) / 2;
  if (x + half > VIEW_WIDTH - 2) return "end";
  if (x - half < 2) return "start";
  return "middle";
}

/** Render one chart; null when none of its series has a finite value. */
export function renderTimeChart(spec: TimeChartSpec, grid: TimeGrid, xTicks: readonly TimeTick[]): RenderedChart | null {
  const areas = (spec.areas ?? []).filter((s) => hasFiniteValue(s.values));
  const lines = (spec.lines ?? []).filter((s) => hasFiniteValue(s.values));
  if (areas.length === 0 && lines.length === 0) return null;
  const twoLines = xTicks.some((t) => t.sub !== undefined);
  const height = (spec.height ?? 280) - (twoLines ? 0 : MARGIN_BOTTOM_TWO_LINES - MARGIN_BOTTOM_ONE_LINE);
  const top = MARGIN_TOP;
  const bottom = height - (twoLines ? MARGIN_BOTTOM_TWO_LINES : MARGIN_BOTTOM_ONE_LINE);

  // y-domain
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const lineExtents = lines.map((s) => valueExtent(grid, s.values));
  for (const e of lineExtents) {
    if (Number.isFinite(e.min)) lo = Math.min(lo, e.min);
    if (Number.isFinite(e.max)) hi = Math.max(hi, e.max);
  }
  if (areas.length) {
    const e = stackExtent(grid, areas);
    lo = Math.min(lo, e.min);
    hi = Math.max(hi, e.max);
  }
  for (const b of spec.bands ?? []) {
    lo = Math.min(lo, b.lo);
    hi = Math.max(hi, b.hi);
  }
  if (spec.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const scale = niceTicks(lo, hi, Math.max(3, Math.floor((bottom - top) / 38) + 1));
  const yOf = (v: number): number => bottom - ((v - scale.min) / (scale.max - scale.min)) * (bottom - top);
  const clampY = (v: number): number => Math.max(top, Math.min(bottom, yOf(v)));

  const out: string[] = [];
  // Grid
  out.push(`<path class="grid" d="${scale.ticks.map((t) => `M${PLOT_LEFT},${coord(yOf(t))}H${PLOT_RIGHT}`).join("")}"/>`);
  const minor = xTicks.filter((t) => !t.major).map((t) => `M${coord(grid.xOf(t.ms))},${top}V${bottom}`);
  const major = xTicks.filter((t) => t.major).map((t) => `M${coord(grid.xOf(t.ms))},${top}V${bottom}`);
  if (minor.length) out.push(`<path class="grid" d="${minor.join("")}"/>`);
  if (major.length) out.push(`<path class="grid major" d="${major.join("")}"/>`);
  // Bands
  for (const b of spec.bands ?? []) {
    const y1 = clampY(b.hi);
    const y2 = clampY(b.lo);
    if (y2 - y1 <= 0) continue;
    out.push(
      `<rect class="band" x="${PLOT_LEFT}" y="${coord(y1)}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${coord(y2 - y1)}" fill="${escapeHtml(b.color)}" fill-opacity="0.14"><title>${escapeHtml(b.label)}</title></rect>`,
    );
  }
  // Negative region shading
  const marked = lines.filter((s) => s.markNegative);
  if (marked.length && scale.min < 0) {
    const y0 = yOf(0);
    out.push(`<rect class="negative-zone" x="${PLOT_LEFT}" y="${coord(y0)}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${coord(bottom - y0)}" fill="${COLORS.vermillion}" fill-opacity="0.07"/>`);
  }
  // Areas
  if (areas.length) {
    const layers = stackLayers(grid, areas, yOf);
    layers.forEach((layer, i) => {
      const s = areas[i]!;
      if (!layer.path) return;
      out.push(
        `<g class="series" data-key="${escapeHtml(s.key)}"><path d="${layer.path}" fill="${escapeHtml(s.color)}" fill-opacity="0.82" stroke="#fff" stroke-width="0.4"/></g>`,
      );
    });
  }
  if (scale.min < 0 && scale.max > 0) {
    out.push(`<path class="zero" d="M${PLOT_LEFT},${coord(yOf(0))}H${PLOT_RIGHT}"/>`);
  }
  // Lines
  for (const s of lines) {
    const d = linePath(grid, s.values, yOf);
    if (!d) continue;
    const dash = s.dash ? ` stroke-dasharray="${escapeHtml(s.dash)}"` : "";
    let g = `<g class="series" data-key="${escapeHtml(s.key)}"><path class="line" d="${d}" stroke="${escapeHtml(s.color)}" stroke-width="${s.width ?? 1.6}"${dash}/>`;
    if (s.markNegative) {
      const neg = Array.from({ length: s.values.length }, (_, i) => {
        const v = s.values[i];
        return typeof v === "number" && v < 0 ? v : Number.NaN;
      });
      const nd = linePath(grid, neg, yOf);
      if (nd) g += `<path class="line negative" d="${nd}" stroke="${COLORS.vermillion}" stroke-width="3.2"/>`;
    }
    out.push(`${g}</g>`);
  }
  // Axes and labels
  out.push(`<path class="axis" d="M${PLOT_LEFT},${top}V${bottom}H${PLOT_RIGHT}"/>`);
  for (const t of scale.ticks) {
    out.push(`<text class="ytick" x="${PLOT_LEFT - 7}" y="${coord(yOf(t) + 4)}" text-anchor="end">${formatNumber(t, scale.decimals)}</text>`);
  }
  for (const t of xTicks) {
    const x = grid.xOf(t.ms);
    out.push(`<path class="tick" d="M${coord(x)},${bottom}v5"/>`);
    out.push(`<text class="xtick" x="${coord(x)}" y="${bottom + 18}" text-anchor="${anchorFor(x, t.label)}">${escapeHtml(t.label)}</text>`);
    if (t.sub) out.push(`<text class="xtick sub" x="${coord(x)}" y="${bottom + 32}" text-anchor="${anchorFor(x, t.sub)}">${escapeHtml(t.sub)}</text>`);
  }
  const midY = coord((top + bottom) / 2);
  out.push(`<text class="ylabel" transform="translate(16,${midY}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`);
  out.push(`<text class="xlabel" x="${PLOT_RIGHT}" y="${height - 4}" text-anchor="end">Time (Europe/Paris, CET/CEST)</text>`);
  out.push(`<path class="cursor" d="M0,${top}V${bottom}" visibility="hidden"/>`);

  const legend = [
    ...areas.map((s) => legendItem(s.key, s.label, legendSwatch(s.color, "area"))),
    ...lines.map((s) => legendItem(s.key, s.label, legendSwatch(s.color, "line", s.dash))),
    ...(spec.bands ?? []).map((b) => legendItem("", b.label, legendSwatch(b.color, "band"), false)),
    ...(marked.length && scale.min < 0 ? [legendItem("", "Below zero", legendSwatch(COLORS.vermillion, "line"), false)] : []),
  ];
  const caption = spec.caption ? `<p class="caption">${escapeHtml(spec.caption)}</p>` : "";
  const id = escapeHtml(spec.id);
  const html =
    `<figure class="chart" id="chart-${id}"><figcaption><h3>${escapeHtml(spec.title)}</h3>${caption}</figcaption>` +
    `<div class="legend">${legend.join("")}</div>` +
    `<svg class="plot" viewBox="0 0 ${VIEW_WIDTH} ${height}" role="img" aria-label="${escapeHtml(spec.title)}" data-chart="${id}">` +
    `${out.join("")}</svg></figure>`;

  const tooltip = [
    ...areas.map((s) => {
      const e = valueExtent(grid, s.values);
      return tooltipSeries(grid, s, Math.max(Math.abs(e.min), Math.abs(e.max)));
    }),
    ...lines.map((s, i) => {
      const e = lineExtents[i]!;
      return tooltipSeries(grid, s, Math.max(Math.abs(e.min), Math.abs(e.max)));
    }),
  ];
  return { html, tooltip };
}

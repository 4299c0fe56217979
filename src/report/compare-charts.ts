/**
 * The charts of `chaleur compare`: the same quantity of every run overlaid, one colour per run (the order of the
 * runs table), drawn by the report's own chart code (svg-charts.ts) on one time axis. Pure.
 */
import { COLORS, cycleColor } from "./palette.ts";
import { formatParisDateTime } from "./paris-time.ts";
import { parisLocalParts } from "../physics/paris-time.ts";
import { PLOT_LEFT, PLOT_RIGHT, renderTimeChart, type LineSpec, type TimeChartSpec, type TooltipSeries } from "./svg-charts.ts";
import { timeTicks } from "./ticks.ts";
import { buildTimeGrid } from "./timegrid.ts";
import type { RunEconomics } from "./run-info.ts";
import { chartBucket } from "./run-report.ts";
import type { Timeseries } from "./value-breakdown.ts";


export interface CompareCharts {
  html: string;
  x: number[];
  labels: string[];
  tooltip: Record<string, TooltipSeries[]>;
}

function bucketed(values: Float64Array, per: number): number[] {
  const nb = Math.ceil(values.length / per);
  const out = new Array<number>(nb);
  for (let b = 0; b < nb; b++) {
    let s = 0;
    const end = Math.min(values.length, (b + 1) * per);
    for (let i = b * per; i < end; i++) s += values[i]!;
    out[b] = s / (end - b * per);
  }
  return out;
}

/** The sum of the columns a run has; undefined when it has none of them. */
function sumOf(ts: Timeseries, names: readonly string[]): Float64Array | undefined {
  const cols = names.map((n) => ts.columns.get(n)).filter((c): c is Float64Array => c !== undefined);
  if (!cols.length) return undefined;
  const out = new Float64Array(ts.timeMs.length);
  for (const c of cols) for (let i = 0; i < out.length; i++) out[i]! += c[i]!;
  return out;
}

const heatPumpColumns = (ts: Timeseries) => [...ts.columns.keys()].filter((k) => k.endsWith("_heat_kw") && k !== "it_heat_kw");

export function compareCharts(runs: readonly Timeseries[], labels: readonly string[], comfort: RunEconomics["comfort"]): CompareCharts {
  const ts0 = runs[0]!;
  const n = ts0.timeMs.length;
  const stepS = ts0.stepS;
  // As the run report: the finest mean that keeps a chart under ~3,000 points.
  const { bucketS, resolution: mean } = chartBucket(stepS, n * stepS);
  const resolution = `${mean}s`;
  const per = Math.max(1, Math.round(bucketS / stepS));
  const timeMs: number[] = [];
  for (let i = 0; i < n; i += per) timeMs.push(ts0.timeMs[i]!);
  const grid = buildTimeGrid(timeMs, PLOT_LEFT, PLOT_RIGHT);
  const ticks = timeTicks(grid.t0, grid.t1, 9);

  /** One line per run of a quantity; the first run drawn wider, so that equal runs still show both colours. */
  const perRun = (unit: string, pick: (ts: Timeseries) => Float64Array | undefined): LineSpec[] =>
    runs.flatMap((ts, i) => {
      const v = pick(ts);
      return v ? [{ key: `run${i + 1}`, label: `Run ${i + 1}: ${labels[i]}`, color: cycleColor(i), unit, values: bucketed(v, per), width: i === 0 ? 2.6 : 1.5 }] : [];
    });
  const reference = (key: string, label: string, unit: string, v: Float64Array | undefined, dash: string): LineSpec[] =>
    v ? [{ key, label, color: COLORS.grey, unit, values: bucketed(v, per), dash, width: 1 }] : [];

  // The crop's band (from run 1's run.json), by Paris hour like kpis.ts.
  let bandLo: Float64Array | undefined;
  let bandHi: Float64Array | undefined;
  if (comfort && ts0.columns.has("gh_temp_c")) {
    bandLo = new Float64Array(n);
    bandHi = new Float64Array(n).fill(comfort.day_max_c);
    for (let i = 0; i < n; i++) {
      const h = parisLocalParts(ts0.timeMs[i]!).hour;
      bandLo[i] = h >= comfort.day_start_hour && h < comfort.day_end_hour ? comfort.day_min_c : comfort.night_min_c;
    }
  }

  const specs: TimeChartSpec[] = [
    {
      id: "heat-sold",
      title: "Heat sold to the network",
      caption: `Heat delivered to the network by each run (${resolution}); dashed grey: what the network would take in run 1.`,
      yLabel: "Heat flow (kW)",
      lines: [...perRun("kW", (ts) => ts.columns.get("dh_sold_kw")), ...reference("demand", "Network demand (run 1)", "kW", ts0.columns.get("dh_demand_kw"), "6 4")],
      includeZero: true,
    },
    {
      id: "greenhouse",
      title: "Greenhouse temperature",
      caption: `Greenhouse air temperature of each run (${resolution}); dashed grey: the crop's comfort band of run 1 (its minimum changes between day and night).`,
      yLabel: "Temperature (°C)",
      lines: [...perRun("°C", (ts) => ts.columns.get("gh_temp_c")), ...reference("comfort-min", "Comfort minimum (day / night)", "°C", bandLo, "6 4"), ...reference("comfort-max", "Comfort maximum", "°C", bandHi, "6 4")],
    },
    {
      id: "storage",
      title: "Store energy",
      caption: `Energy in the hot-water store of each run (${resolution}).`,
      yLabel: "Stored energy (kWh)",
      height: 240,
      lines: perRun("kWh", (ts) => ts.columns.get("storage_energy_kwh")),
      includeZero: true,
    },
    {
      id: "heat-pumps",
      title: "Heat-pump heat",
      caption: `Heat of all heat pumps together in each run (${resolution}).`,
      yLabel: "Heat output (kW)",
      lines: perRun("kW", (ts) => sumOf(ts, heatPumpColumns(ts))),
      includeZero: true,
    },
    {
      id: "dumped",
      title: "Heat rejected",
      caption: `Heat the dry coolers and the chiller rejected to outdoor air in each run (${resolution}).`,
      yLabel: "Heat flow (kW)",
      height: 240,
      lines: perRun("kW", (ts) => sumOf(ts, ["dump_kw", "chiller_kw"])),
      includeZero: true,
    },
  ];
  const tooltip: Record<string, TooltipSeries[]> = {};
  const html = specs
    .map((spec) => {
      const r = renderTimeChart(spec, grid, ticks);
      if (!r) return "";
      tooltip[spec.id] = r.tooltip;
      return r.html;
    })
    .join("");
  const labelsOut = grid.buckets.map((b) =>
    b.indices.length > 1 ? `${formatParisDateTime(b.t0, false)} – ${formatParisDateTime(b.t1)} (mean of ${b.indices.length})` : formatParisDateTime(b.t0),
  );
  return { html, x: grid.buckets.map((b) => Math.round(b.x * 10) / 10), labels: labelsOut, tooltip };
}

import type { PlantModel } from "../model/plant-model.ts";
import { MODES } from "../control/types.ts";
import { comfortMaxC, comfortMinC } from "../config/comfort.ts";
import { co2AvoidedT } from "../physics/co2.ts";
import { percentile } from "./kpis.ts";
import type { ChartSeries, HeatFlow, KpiRow, ReportInput } from "./types.ts";

/**
 * The report of a period of real operation, from the daemon's history: the same HTML as a simulation's, its KPIs
 * integrated over the cycles actually recorded (each weighted by its own length; a quantity the plant does not meter
 * is left out and said so), the modes the ladder spent its time in, and how good the forecasts were.
 */
export interface PeriodCycle {
  timeMs: number;
  durationS: number;
  mode: string;
  hpStarts: number;
  names: readonly string[];
  values: ArrayLike<number>;
}

export interface ForecastAccuracyRow {
  quantity: string;
  leadH: number;
  maeKw: number;
  persistenceMaeKw: number;
  skill: number;
  n: number;
}

export interface PeriodInput {
  model: PlantModel;
  fromMs: number;
  toMs: number;
  cycles: Iterable<PeriodCycle>;
  solveMs: number[];
  plans: number;
  modeChanges: number;
  forecastAccuracy: ForecastAccuracyRow[];
  source: string;
}

const BUCKETS: [number, string][] = [
  [900, "15-min mean"],
  [3600, "hourly mean"],
  [86400, "daily mean"],
];

export function periodReport(p: PeriodInput): ReportInput {
  const m = p.model;
  const spanS = (p.toMs - p.fromMs) / 1000;
  const [bucketS, resolution] = BUCKETS.find(([b]) => spanS / b <= 3000) ?? BUCKETS[BUCKETS.length - 1]!;
  const bucketMs = bucketS * 1000;
  const nb = Math.max(1, Math.ceil((p.toMs - p.fromMs) / bucketMs));
  const sums = new Map<string, { s: Float64Array; w: Float64Array }>();
  const energyKwh = new Map<string, number>();
  const modeS: Record<string, number> = Object.fromEntries(MODES.map((k) => [k, 0]));
  let starts = 0;
  let cycles = 0;
  let discomfortKh = 0;
  let violationS = 0;
  let elecCostEur = 0;
  let recordedS = 0;
  const hpElec = m.heatPumps.map((h) => `${h.id}_elec_kw`);
  for (const c of p.cycles) {
    cycles++;
    const dt = c.durationS;
    recordedS += dt;
    modeS[c.mode] = (modeS[c.mode] ?? 0) + dt;
    starts += c.hpStarts;
    const b = Math.min(nb - 1, Math.max(0, Math.floor((c.timeMs - p.fromMs) / bucketMs)));
    const v = (name: string) => {
      const i = c.names.indexOf(name);
      return i < 0 ? Number.NaN : c.values[i]!;
    };
    c.names.forEach((name, i) => {
      const x = c.values[i]!;
      if (!Number.isFinite(x) || dt <= 0) return;
      let a = sums.get(name);
      if (!a) sums.set(name, (a = { s: new Float64Array(nb), w: new Float64Array(nb) }));
      a.s[b] = a.s[b]! + x * dt;
      a.w[b] = a.w[b]! + dt;
      if (name.endsWith("_kw")) energyKwh.set(name, (energyKwh.get(name) ?? 0) + (x * dt) / 3600);
    });
    const gh = v("gh_temp_c");
    if (Number.isFinite(gh)) discomfortKh += ((Math.max(0, comfortMinC(m, c.timeMs) - gh) + Math.max(0, gh - comfortMaxC(m))) * dt) / 3600;
    const fw = v("fw_supply_temp_c");
    if (Number.isFinite(fw) && fw > m.facilityWater.supplyLimitC) violationS += dt;
    const price = v("price_el_eur_mwh");
    const kw = hpElec.reduce((a, k) => a + (Number.isFinite(v(k)) ? v(k) : 0), 0);
    if (Number.isFinite(price)) elecCostEur += ((kw * dt) / 3.6e6) * (price + m.economics.gridFeeEurPerMwh);
  }
  const mwh = (k: string) => (energyKwh.get(k) ?? 0) / 1000;
  const hpHeatMwh = m.heatPumps.reduce((a, h) => a + mwh(`${h.id}_heat_kw`), 0);
  const hpElecMwh = hpElec.reduce((a, k) => a + mwh(k), 0);
  const soldMwh = mwh("dh_sold_kw");
  const ghMwh = mwh("gh_direct_kw") + mwh("gh_boost_kw");
  const itMwh = mwh("it_heat_kw");
  const revenueEur = soldMwh * m.economics.heatSaleEurPerMwh + ghMwh * m.economics.greenhouseHeatEurPerMwh;
  const startCostEur = (starts * m.heatPumps.reduce((a, h) => a + h.startCostEur, 0)) / Math.max(1, m.heatPumps.length);
  const co2 = co2AvoidedT({ heatDisplacedMwh: soldMwh + ghMwh, electricityMwh: hpElecMwh, displacedGPerKwh: m.co2.displacedHeatGPerKwh, gridGPerKwh: m.co2.gridGPerKwh });
  const row = (key: string, label: string, unit: string, value: number | null): KpiRow => ({ key, label, unit, value: value === null ? null : Math.round(value * 1000) / 1000 });
  const kpis: KpiRow[] = [
    row("heat_it_mwh", "IT heat into the facility water", "MWh", itMwh),
    row("heat_sold_mwh", "Heat sold to the network", "MWh", soldMwh),
    row("heat_greenhouse_mwh", "Heat to the greenhouse", "MWh", ghMwh),
    row("heat_dumped_mwh", "Heat rejected (dry coolers + chiller)", "MWh", mwh("dump_kw") + mwh("chiller_kw")),
    row("electricity_mwh", "Heat-pump electricity (metered)", "MWh", hpElecMwh),
    row("revenue_eur", "Revenue (heat sold + greenhouse heat)", "€", revenueEur),
    row("electricity_cost_eur", "Heat-pump electricity cost (day-ahead + grid fees)", "€", elecCostEur),
    row("start_cost_eur", "Heat-pump start costs", "€", startCostEur),
    row("net_value_eur", "Net value", "€", revenueEur - elecCostEur - startCostEur),
    row("co2_avoided_t", "CO₂ avoided", "t", co2),
    row("hp_seasonal_cop", "Heat-pump seasonal COP", "—", hpElecMwh > 0 ? hpHeatMwh / hpElecMwh : null),
    row("hp_starts", "Heat-pump starts", "—", starts),
    row("greenhouse_discomfort_kh", "Greenhouse discomfort", "K·h", discomfortKh),
    row("cooling_violation_min", "Facility water above its supply limit", "min", violationS / 60),
    row("solve_ms_p50", "Solve time p50", "ms", percentile(p.solveMs, 50)),
    row("solve_ms_p95", "Solve time p95", "ms", percentile(p.solveMs, 95)),
  ];
  const timeMs = Array.from({ length: nb }, (_, b) => p.fromMs + b * bucketMs);
  const columns: Record<string, number[]> = {};
  for (const [name, a] of sums) columns[name] = Array.from(a.s, (s, b) => (a.w[b]! > 0 ? s / a.w[b]! : Number.NaN));
  const series: ChartSeries = { timeMs, resolution, columns };
  const flows: HeatFlow[] = [
    { from: "IT heat", to: "Heat pumps", energyMwh: hpHeatMwh - hpElecMwh },
    { from: "Electricity", to: "Heat pumps", energyMwh: hpElecMwh },
    { from: "IT heat", to: "Greenhouse", energyMwh: mwh("gh_direct_kw") },
    { from: "IT heat", to: "Dry coolers", energyMwh: mwh("dump_kw") },
    { from: "IT heat", to: "Chiller", energyMwh: mwh("chiller_kw") },
    { from: "Heat pumps", to: "Hot loop", energyMwh: hpHeatMwh },
    { from: "Hot loop", to: "Network (sold)", energyMwh: soldMwh },
    { from: "Hot loop", to: "Greenhouse", energyMwh: mwh("gh_boost_kw") },
  ].filter((f) => f.energyMwh > 1e-6);
  const gapS = spanS - recordedS;
  const notes = [
    `Real operation from the daemon's history (${p.source}): ${cycles} cycles, ${p.plans} plans, ${p.modeChanges} mode changes.`,
    "Electricity counts the heat pumps only: the chiller's and the dry coolers' fans are not metered to chaleur.",
    ...(gapS > 3600 ? [`${(gapS / 3600).toFixed(1)} h of the period have no cycle recorded (the daemon was stopped): energies cover the recorded time only.`] : []),
    ...forecastNotes(p.forecastAccuracy),
  ];
  const modeMinutes = Object.fromEntries(Object.entries(modeS).map(([k, s]) => [k, Math.round((s / 60) * 10) / 10]));
  const iso = (ms: number) => new Date(ms).toISOString();
  return { title: "Operation report", scenarioName: m.name, scenarioDescription: `Real operation, ${iso(p.fromMs)} to ${iso(p.toMs)}`, controller: "chaleur daemon", modelName: m.name, startIso: iso(p.fromMs), endIso: iso(p.toMs), seed: 0, kpis, modeMinutes, series, heatPumps: m.heatPumps.map((h) => h.id), flows, notes };
}

/** Forecast accuracy as report notes: MAE at each lead against persistence (skill > 0: better than persistence). */
function forecastNotes(rows: readonly ForecastAccuracyRow[]): string[] {
  const by = new Map<string, ForecastAccuracyRow[]>();
  for (const r of rows) by.set(r.quantity, [...(by.get(r.quantity) ?? []), r]);
  return [...by].map(([q, rs]) => `Forecast ${q}: ${rs.map((r) => `MAE ${r.maeKw.toFixed(1)} at ${r.leadH} h (persistence ${r.persistenceMaeKw.toFixed(1)}, skill ${r.skill.toFixed(2)}, n ${r.n})`).join("; ")}.`);
}

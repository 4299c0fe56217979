import type { SimulationResult } from "../sim/engine.ts";
import { comfortMaxC, comfortMinC } from "../config/comfort.ts";
import { hotLoopSupplyC } from "../model/plant-model.ts";
import { columnMwh, type Kpis } from "./kpis.ts";
import type { ChartSeries, HeatFlow, KpiRow, ReportInput } from "./types.ts";

/** Turns a simulation result into what the HTML report draws: bucket means, KPI rows, the Sankey's flows. */

const BUCKETS_S: [number, string][] = [
  [900, "15-min mean"],
  [3600, "hourly mean"],
  [3 * 3600, "3-hour mean"],
  [6 * 3600, "6-hour mean"],
  [86400, "daily mean"],
];

/** The finest mean at least one step long that keeps a chart under maxPoints points, and its name ("hourly mean"). */
export function chartBucket(stepS: number, durationS: number, maxPoints = 3000): { bucketS: number; resolution: string } {
  const [bucketS, resolution] = BUCKETS_S.find(([b]) => b >= stepS && durationS / b <= maxPoints) ?? BUCKETS_S[BUCKETS_S.length - 1]!;
  return { bucketS, resolution };
}

export function chartSeries(res: SimulationResult, maxPoints = 3000): ChartSeries {
  const { n, stepS, startMs } = res.inputs;
  const { bucketS, resolution } = chartBucket(stepS, n * stepS, maxPoints);
  const per = Math.max(1, Math.round(bucketS / stepS));
  const nb = Math.ceil(n / per);
  const timeMs: number[] = [];
  for (let b = 0; b < nb; b++) timeMs.push(startMs + b * per * stepS * 1000);
  const columns: Record<string, number[]> = {};
  for (const [name, v] of res.columns) {
    if (name === "balance_residual_kw") continue;
    const out: number[] = new Array(nb);
    for (let b = 0; b < nb; b++) {
      let s = 0;
      const end = Math.min(n, (b + 1) * per);
      for (let i = b * per; i < end; i++) s += v[i]!;
      out[b] = s / (end - b * per);
    }
    columns[name] = out;
  }
  // The network's flow temperature, from the model's weather-compensation curve at each bucket's outdoor mean.
  const out = columns.outdoor_temp_c;
  if (out) columns.dh_supply_temp_c = out.map((t) => (Number.isFinite(t) ? hotLoopSupplyC(res.scenario.model, t) : Number.NaN));
  const g = res.scenario.model.greenhouse;
  if (g) {
    // The band at each step's time, as bucket means like every other column (the minimum, hour by hour).
    const m = res.scenario.model;
    const byHour = new Map<number, number>();
    const lo: number[] = new Array(nb);
    for (let b = 0; b < nb; b++) {
      let s = 0;
      const end = Math.min(n, (b + 1) * per);
      for (let i = b * per; i < end; i++) {
        const hour = Math.floor((startMs + i * stepS * 1000) / 3_600_000);
        let v = byHour.get(hour);
        if (v === undefined) byHour.set(hour, (v = comfortMinC(m, hour * 3_600_000)));
        s += v;
      }
      lo[b] = s / (end - b * per);
    }
    columns.gh_comfort_min_c = lo;
    columns.gh_comfort_max_c = new Array<number>(nb).fill(comfortMaxC(m));
    columns.gh_damage_c = new Array<number>(nb).fill(g.comfort.damageC);
  }
  return { timeMs, resolution, columns };
}


export function heatFlows(res: SimulationResult): HeatFlow[] {
  const m = res.scenario.model;
  const hpHeat = m.heatPumps.reduce((a, h) => a + columnMwh(res, `${h.id}_heat_kw`), 0);
  const hpElec = m.heatPumps.reduce((a, h) => a + columnMwh(res, `${h.id}_elec_kw`), 0);
  const netCharge = columnMwh(res, "storage_charge_kw");
  const flows: HeatFlow[] = [
    { from: "IT heat", to: "Heat pumps", energyMwh: hpHeat - hpElec },
    { from: "Electricity", to: "Heat pumps", energyMwh: hpElec },
    { from: "IT heat", to: "Greenhouse", energyMwh: columnMwh(res, "gh_direct_kw") },
    { from: "IT heat", to: "Dry coolers", energyMwh: columnMwh(res, "dump_kw") },
    { from: "IT heat", to: "Chiller", energyMwh: columnMwh(res, "chiller_kw") },
    // Every electricity use of the KPI's, so the Sankey's electricity equals electricity_mwh.
    { from: "Electricity", to: "Chiller", energyMwh: columnMwh(res, "chiller_elec_kw") },
    { from: "Electricity", to: "Dry coolers", energyMwh: columnMwh(res, "dump_fan_elec_kw") },
    { from: "Heat pumps", to: "Hot loop", energyMwh: hpHeat },
    { from: "Storage", to: "Hot loop", energyMwh: Math.max(0, -netCharge) },
    { from: "Hot loop", to: "Network (sold)", energyMwh: columnMwh(res, "dh_sold_kw") },
    { from: "Hot loop", to: "Greenhouse", energyMwh: columnMwh(res, "gh_boost_kw") },
    { from: "Hot loop", to: "Storage", energyMwh: Math.max(0, netCharge) },
  ];
  return flows.filter((f) => f.energyMwh > 1e-6);
}

const KPI_META: [keyof Kpis, string, string][] = [
  ["heat_it_mwh", "IT heat into the facility water", "MWh"],
  ["heat_recovered_mwh", "Heat recovered (heat-pump source + greenhouse direct)", "MWh"],
  ["heat_sold_mwh", "Heat sold to the network", "MWh"],
  ["heat_greenhouse_mwh", "Heat to the greenhouse", "MWh"],
  ["heat_dumped_mwh", "Heat rejected (dry coolers + chiller)", "MWh"],
  ["electricity_mwh", "Electricity (heat pumps, chiller, fans)", "MWh"],
  ["revenue_eur", "Revenue (heat sold + greenhouse heat)", "€"],
  ["electricity_cost_eur", "Electricity cost (day-ahead + grid fees)", "€"],
  ["start_cost_eur", "Heat-pump start costs", "€"],
  ["net_value_eur", "Net value", "€"],
  ["co2_avoided_t", "CO₂ avoided", "t"],
  ["energy_reuse_factor", "Energy reuse factor (ISO/IEC 30134-6)", "—"],
  ["hp_seasonal_cop", "Heat-pump seasonal COP", "—"],
  ["hp_starts", "Heat-pump starts", "—"],
  ["hp_short_runs", "Heat-pump runs of 60 min or less (compressor wear)", "—"],
  ["greenhouse_discomfort_kh", "Greenhouse discomfort", "K·h"],
  ["greenhouse_above_damage_h", "Greenhouse above the crop's damage temperature", "h"],
  ["greenhouse_max_temp_c", "Greenhouse, highest air temperature", "°C"],
  ["comfort_penalty_eur", "Discomfort priced as the optimizer does", "€"],
  ["storage_start_kwh", "Store at the start", "kWh"],
  ["storage_end_kwh", "Store at the end", "kWh"],
  ["storage_change_value_eur", "Change in the store, valued as the plans value it (sale price × efficiency)", "€"],
  ["value_eur", "Value: net value − priced discomfort + change in the store (what controllers are compared on)", "€"],
  ["cooling_violation_min", "Cooling violation", "min"],
  ["max_balance_residual_kw", "Largest energy-balance residual (facility water, hot loop, store; from independent quantities)", "kW"],
  ["solve_ms_p50", "Solve time p50", "ms"],
  ["solve_ms_p95", "Solve time p95", "ms"],
];

/** Per-unit starts follow the total, one row each, keyed `hp_starts_by_unit.<id>` (as compare looks them up). */
export function kpiRows(k: Kpis): KpiRow[] {
  return KPI_META.flatMap(([key, label, unit]): KpiRow[] => {
    const row = { key, label, unit, value: k[key] as number | null };
    if (key !== "hp_starts") return [row];
    // A kpis.json written before the per-unit starts has none: the total alone.
    const byUnit = Object.entries(k.hp_starts_by_unit ?? {}).map(([id, n]) => ({ key: `hp_starts_by_unit.${id}`, label: `Heat-pump starts, ${id}`, unit, value: n }));
    return [row, ...byUnit];
  });
}

/** A KPI by its row key: a field of kpis.json, or `field.sub` inside a per-unit or per-mode object. */
export function kpiValue(k: Record<string, unknown>, key: string): unknown {
  if (key in k) return k[key];
  const dot = key.indexOf(".");
  const obj = dot > 0 ? k[key.slice(0, dot)] : undefined;
  return obj && typeof obj === "object" ? (obj as Record<string, unknown>)[key.slice(dot + 1)] : undefined;
}

export function buildReportInput(res: SimulationResult, kpis: Kpis): ReportInput {
  const sc = res.scenario;
  const notes = [...res.inputs.notes];
  for (const e of sc.events) {
    const span = `${new Date(e.startMs).toISOString()} → ${new Date(e.endMs).toISOString()}`;
    notes.push(e.type === "hp_trip" ? `Event: ${e.unit} tripped, ${span}` : `Event: network outage (no heat taken), ${span}`);
  }
  const g = sc.model.greenhouse;
  if (g && kpis.greenhouse_above_damage_h > 0) {
    notes.push(`The greenhouse was above the crop's damage temperature (${g.comfort.damageC} °C) for ${kpis.greenhouse_above_damage_h} h, up to ${kpis.greenhouse_max_temp_c} °C: heat its vents, shading screen and fog could not remove${g.spec.fog ? " (fog cools the air by at most its efficiency × the outdoor wet-bulb depression, from the model's climatological dew point)" : ""}${!g.spec.fog && !g.spec.shade ? " (this model has neither a shading screen nor fog)" : ""}.`);
  }
  return {
    title: `chaleur — ${sc.name}`,
    scenarioName: sc.name,
    scenarioDescription: sc.description,
    controller: res.controller,
    modelName: sc.model.name,
    startIso: new Date(sc.startMs).toISOString(),
    endIso: new Date(sc.endMs).toISOString(),
    seed: sc.seed,
    kpis: kpiRows(kpis),
    modeMinutes: kpis.mode_minutes,
    series: chartSeries(res),
    heatPumps: sc.model.heatPumps.map((h) => h.id),
    flows: heatFlows(res),
    notes,
  };
}

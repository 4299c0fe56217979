import type { SimulationResult } from "../sim/engine.ts";
import { MODES } from "../control/types.ts";
import { comfortMaxC, comfortMinC } from "../config/comfort.ts";
import { co2AvoidedT } from "../physics/co2.ts";
import { energyClosure } from "./closure.ts";

/** The KPIs of DESIGN §6, in its field names and units. Solver fields are null for controllers that do not solve. */
export interface Kpis {
  heat_it_mwh: number;
  heat_recovered_mwh: number;
  heat_sold_mwh: number;
  heat_greenhouse_mwh: number;
  heat_dumped_mwh: number;
  electricity_mwh: number;
  revenue_eur: number;
  electricity_cost_eur: number;
  start_cost_eur: number;
  net_value_eur: number;
  co2_avoided_t: number;
  energy_reuse_factor: number;
  hp_seasonal_cop: number | null;
  hp_starts: number;
  /** Starts per heat pump (id → starts): they add up to hp_starts. */
  hp_starts_by_unit: Record<string, number>;
  /** Runs of 60 min or less (SHORT_RUN_MAX_MIN), all units: a run is the minutes a unit makes heat without a break. */
  hp_short_runs: number;
  greenhouse_discomfort_kh: number;
  /** Hours the greenhouse air spent above the crop's damage temperature (0 without a greenhouse). */
  greenhouse_above_damage_h: number;
  /** The greenhouse's highest air temperature (null without one). */
  greenhouse_max_temp_c: number | null;
  /** Discomfort priced as the optimizer prices it (€): net value minus this is what mpc and oracle maximise. */
  comfort_penalty_eur: number;
  /** The store's content before the first step and after the last (kWh; 0 without a store). */
  storage_start_kwh: number;
  storage_end_kwh: number;
  /** The change in the store's content valued as the plans value heat left in it (sale price × efficiency, €). */
  storage_change_value_eur: number;
  /** Net value − priced discomfort + the store's change in value: what controllers are compared on (€). */
  value_eur: number;
  cooling_violation_min: number;
  max_balance_residual_kw: number;
  solve_ms_p50: number | null;
  solve_ms_p95: number | null;
  mode_minutes: Record<string, number>;
}

function sum(a: Float64Array | undefined): number {
  if (!a) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** Energy of a kW column over the whole run (MWh); 0 for a column the plant does not have. */
export function columnMwh(res: SimulationResult, name: string): number {
  return (sum(res.columns.get(name)) * res.inputs.stepS) / 3600 / 1000;
}

/** A run this long or shorter counts in hp_short_runs (min): twice the models' 30-min minimum up time. */
export const SHORT_RUN_MAX_MIN = 60;

/**
 * Runs of a unit's heat column (minutes of heat > 0 without a break), at most `maxMin` long. The pre-run before heat
 * is not counted (it makes none). A run still going at the end is left out: its length is not known.
 */
export function shortRuns(heatKw: ArrayLike<number>, stepS: number, maxMin = SHORT_RUN_MAX_MIN): number {
  let count = 0;
  let runSteps = 0;
  for (let i = 0; i < heatKw.length; i++) {
    if (heatKw[i]! > 0) runSteps++;
    else {
      if (runSteps > 0 && runSteps * stepS <= maxMin * 60 + 1e-9) count++;
      runSteps = 0;
    }
  }
  return count;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Rounds for stable, readable JSON (byte-identical across runs, no 0.30000000000000004). */
function r(x: number, digits = 3): number {
  const f = 10 ** digits;
  const v = Math.round(x * f) / f;
  return Object.is(v, -0) ? 0 : v;
}

export function computeKpis(res: SimulationResult): Kpis {
  const sc = res.scenario;
  const m = sc.model;
  const c = res.columns;
  const dtH = res.inputs.stepS / 3600;
  const n = res.inputs.n;
  const mwh = (a: Float64Array | undefined) => (sum(a) * dtH) / 1000;

  const hpHeat = m.heatPumps.map((h) => c.get(`${h.id}_heat_kw`)!);
  const hpElec = m.heatPumps.map((h) => c.get(`${h.id}_elec_kw`)!);
  const hpCop = m.heatPumps.map((h) => c.get(`${h.id}_cop`)!);
  const hpHeatMwh = hpHeat.reduce((a, x) => a + mwh(x), 0);
  const hpElecMwh = hpElec.reduce((a, x) => a + mwh(x), 0);
  let hpSourceKwh = 0;
  for (let k = 0; k < hpHeat.length; k++) {
    const q = hpHeat[k]!;
    const cop = hpCop[k]!;
    for (let i = 0; i < n; i++) if (q[i]! > 0) hpSourceKwh += q[i]! * (1 - 1 / cop[i]!) * dtH;
  }
  const soldMwh = mwh(c.get("dh_sold_kw"));
  const ghMwh = mwh(c.get("gh_direct_kw")) + mwh(c.get("gh_boost_kw"));
  const elecMwh = hpElecMwh + mwh(c.get("chiller_elec_kw")) + mwh(c.get("dump_fan_elec_kw"));

  // Electricity is paid at the day-ahead price plus grid fees, step by step (negative prices included).
  const price = c.get("price_el_eur_mwh")!;
  const fee = m.economics.gridFeeEurPerMwh;
  const elecCols = [...hpElec, c.get("chiller_elec_kw")!, c.get("dump_fan_elec_kw")!];
  let elecCostEur = 0;
  for (let i = 0; i < n; i++) {
    let kw = 0;
    for (const e of elecCols) kw += e[i]!;
    elecCostEur += ((kw * dtH) / 1000) * (price[i]! + fee);
  }
  const revenueEur = soldMwh * m.economics.heatSaleEurPerMwh + ghMwh * m.economics.greenhouseHeatEurPerMwh;
  const startCostEur = m.heatPumps.reduce((a, h, k) => a + h.startCostEur * res.hpStarts[k]!, 0);

  let discomfortKh = 0;
  let aboveDamageH = 0;
  let ghMaxC = -Infinity;
  const ghTemp = c.get("gh_temp_c");
  if (ghTemp) {
    for (let i = 0; i < n; i++) {
      if (ghTemp[i]! > m.greenhouse!.comfort.damageC) aboveDamageH += dtH;
      ghMaxC = Math.max(ghMaxC, ghTemp[i]!);
      const t = res.inputs.startMs + (i + 1) * res.inputs.stepS * 1000;
      const T = ghTemp[i]!;
      discomfortKh += (Math.max(0, comfortMinC(m, t) - T) + Math.max(0, T - comfortMaxC(m))) * dtH;
    }
  }
  const fw = c.get("fw_supply_temp_c")!;
  let violationSteps = 0;
  for (let i = 0; i < n; i++) if (fw[i]! > m.facilityWater.supplyLimitC) violationSteps++;
  // Closure from independent quantities (report/closure.ts), not the plant's own residual column.
  const storageStartKwh = m.storage?.initialEnergyKwh ?? 0;
  const closure = energyClosure({ model: m, columns: c, n, stepS: res.inputs.stepS, fwSupplyStartC: m.facilityWater.supplyTempC, storageStartKwh });
  const maxResidual = closure.maxResidualKw;
  const storageEndKwh = m.storage ? (c.get("storage_energy_kwh")?.[n - 1] ?? storageStartKwh) : 0;
  const storageChangeValueEur = m.storage ? ((storageEndKwh - storageStartKwh) / 1000) * m.economics.heatSaleEurPerMwh * m.storage.efficiency : 0;
  const netValueEur = revenueEur - elecCostEur - startCostEur;
  const comfortPenaltyEur = discomfortKh * m.economics.comfortPenaltyEurPerKh;

  const modeMinutes: Record<string, number> = {};
  const counts = new Array<number>(MODES.length).fill(0);
  for (let i = 0; i < n; i++) counts[res.mode[i]!]!++;
  MODES.forEach((name, k) => {
    modeMinutes[name] = r((counts[k]! * res.inputs.stepS) / 60, 1);
  });

  const itMwh = mwh(c.get("it_heat_kw"));
  const itEnergyMwh = itMwh / m.it.heatFraction;
  const reusedMwh = soldMwh + ghMwh;
  const co2 = co2AvoidedT({ heatDisplacedMwh: reusedMwh, electricityMwh: hpElecMwh, displacedGPerKwh: m.co2.displacedHeatGPerKwh, gridGPerKwh: m.co2.gridGPerKwh });
  return {
    heat_it_mwh: r(itMwh),
    heat_recovered_mwh: r(hpSourceKwh / 1000 + mwh(c.get("gh_direct_kw"))),
    heat_sold_mwh: r(soldMwh),
    heat_greenhouse_mwh: r(ghMwh),
    heat_dumped_mwh: r(mwh(c.get("dump_kw")) + mwh(c.get("chiller_kw"))),
    electricity_mwh: r(elecMwh),
    revenue_eur: r(revenueEur, 2),
    electricity_cost_eur: r(elecCostEur, 2),
    start_cost_eur: r(startCostEur, 2),
    net_value_eur: r(netValueEur, 2),
    co2_avoided_t: r(co2),
    energy_reuse_factor: r(itEnergyMwh > 0 ? reusedMwh / (itEnergyMwh * m.it.pue) : 0, 4),
    hp_seasonal_cop: hpElecMwh > 0 ? r(hpHeatMwh / hpElecMwh, 3) : null,
    hp_starts: res.hpStarts.reduce((a, b) => a + b, 0),
    hp_starts_by_unit: Object.fromEntries(m.heatPumps.map((h, k) => [h.id, res.hpStarts[k] ?? 0])),
    hp_short_runs: hpHeat.reduce((a, q) => a + shortRuns(q, res.inputs.stepS), 0),
    greenhouse_discomfort_kh: r(discomfortKh),
    greenhouse_above_damage_h: r(aboveDamageH, 2),
    greenhouse_max_temp_c: ghTemp ? r(ghMaxC, 2) : null,
    comfort_penalty_eur: r(comfortPenaltyEur, 2),
    storage_start_kwh: r(storageStartKwh, 1),
    storage_end_kwh: r(storageEndKwh, 1),
    storage_change_value_eur: r(storageChangeValueEur, 2),
    value_eur: r(netValueEur - comfortPenaltyEur + storageChangeValueEur, 2),
    cooling_violation_min: r((violationSteps * res.inputs.stepS) / 60, 1),
    // Float rounding of kW × h over thousands of steps leaves ~1e-9 kW; anything above 1e-6 kW is a real leak.
    max_balance_residual_kw: maxResidual < 1e-6 ? 0 : Number(maxResidual.toPrecision(3)),
    solve_ms_p50: percentile(res.solveMs, 50),
    solve_ms_p95: percentile(res.solveMs, 95),
    mode_minutes: modeMinutes,
  };
}

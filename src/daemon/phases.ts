import type { PlantModel } from "../model/plant-model.ts";
import type { PlcMap } from "../config/plc-schema.ts";
import type { Sample } from "../io/types.ts";
import type { Mode, Observation, Setpoints } from "../control/types.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { clampToMaps, clampToModel } from "../control/clamp.ts";
import { setpointRegisters } from "../io/modbus/setpoint-registers.ts";
import type { PlanStore } from "../control/plan-store.ts";
import { timeseriesColumns, type StepRecord } from "../report/record.ts";

/**
 * The daemon's pure phases between the world-touching ones (read, write, record): when to re-plan, the registers
 * to write for a decision, and the record of a cycle. The cycle owner (cycle.ts) strings them together.
 */

export interface ReplanThresholds {
  replanS: number;
  /** After a failed attempt, the next one waits this long (s). */
  retryS: number;
  itKw: number;
  demandKw: number;
}

/** Why a plan is due now, or null. Units tripping or returning, and IT heat or demand off forecast, re-plan at once. */
export function replanReason(store: PlanStore, forecast: PlanForecast | null, prev: Observation | null, obs: Observation, nowMs: number, t: ReplanThresholds, contractKw = Infinity): string | null {
  if (!store.plan) {
    if (store.lastFailure && nowMs - store.lastFailure.atMs < t.retryS * 1000) return null;
    return store.lastFailure ? "retry" : "start";
  }
  if (store.lastFailure && store.lastFailure.atMs >= store.madeAtMs && nowMs - store.lastFailure.atMs < t.retryS * 1000) return null;
  if (prev) {
    for (const [i, h] of obs.hps.entries()) {
      const was = prev.hps[i];
      if (was && was.available !== h.available) return `${h.id} ${h.available ? "returned" : "tripped"}`;
    }
  }
  if (forecast) {
    const k = stepIndexAt(forecast, nowMs);
    if (k !== null) {
      const itOff = Math.abs(obs.itHeatKw - forecast.itHeatKw[k]!);
      if (itOff > t.itKw) return `IT heat ${obs.itHeatKw.toFixed(0)} kW, ${itOff.toFixed(0)} kW off forecast`;
      // The observation's demand is capped at the contract; the forecast's is what the network would take.
      const dhOff = Math.abs(obs.dhDemandKw - Math.min(forecast.dhDemandKw[k]!, contractKw));
      if (dhOff > t.demandKw) return `network demand ${obs.dhDemandKw.toFixed(0)} kW, ${dhOff.toFixed(0)} kW off forecast`;
    }
  }
  if (nowMs - store.madeAtMs >= t.replanS * 1000) return "period";
  return null;
}

function stepIndexAt(f: PlanForecast, nowMs: number): number | null {
  let t0 = f.startMs;
  for (let k = 0; k < f.n; k++) {
    const t1 = t0 + f.stepsS[k]! * 1000;
    if (nowMs >= t0 && nowMs < t1) return k;
    t0 = t1;
  }
  return null;
}

/** The registers for a decision: clamped to the model, named for the PLCs, clamped to the maps; clamps reported. */
export function registersFor(m: PlantModel, maps: readonly PlcMap[], sp: Setpoints, mode: Mode): { registers: Record<string, number>; setpoints: Setpoints; clamps: string[] } {
  const onModel = clampToModel(m, sp);
  const known = new Set(maps.flatMap((p) => p.registers.map((r) => r.name)));
  const named = Object.fromEntries(Object.entries(setpointRegisters(onModel.value, mode)).filter(([k]) => known.has(k)));
  const onMaps = clampToMaps(maps, named);
  return { registers: onMaps.value, setpoints: onModel.value, clamps: [...onModel.clamps, ...onMaps.clamps] };
}

/** A cycle's record from what was measured (quantities chaleur does not measure, such as vents, are NaN). */
export function cycleRecord(m: PlantModel, samples: ReadonlyMap<string, Sample>, timeMs: number, durationS: number, mode: Mode, hpStarts: number): StepRecord {
  const v = (name: string) => {
    const s = samples.get(name);
    return s && s.quality === "good" ? s.value : Number.NaN;
  };
  const values: Record<string, number> = Object.fromEntries(timeseriesColumns(m).map((k) => [k, Number.NaN]));
  values.it_heat_kw = v("dc.it_heat_kw");
  for (const h of m.heatPumps) {
    const heat = v(`${h.id}.heat_kw`);
    const elec = v(`${h.id}.elec_kw`);
    values[`${h.id}_heat_kw`] = heat;
    values[`${h.id}_elec_kw`] = elec;
    values[`${h.id}_cop`] = heat > 0 && elec > 0 ? heat / elec : 0;
  }
  values.dh_demand_kw = Math.min(v("dh.demand_kw"), m.network.contractMaxKw);
  values.dh_sold_kw = v("dh.sold_kw");
  if (m.greenhouse) {
    values.gh_direct_kw = v("gh.direct_kw");
    values.gh_boost_kw = v("gh.boost_kw");
    values.gh_temp_c = v("gh.temp_c");
  }
  if (m.storage) values.storage_energy_kwh = v("storage.energy_kwh");
  values.dump_kw = v("dump.heat_kw");
  values.chiller_kw = v("chiller.heat_kw");
  values.fw_supply_temp_c = v("dc.fw_supply_temp_c");
  values.outdoor_temp_c = v("weather.outdoor_temp_c");
  values.solar_w_m2 = v("weather.solar_w_m2");
  values.price_el_eur_mwh = v("market.price_el_eur_mwh");
  return { timeMs, durationS, mode, hpStarts, values };
}

import type { PlantModel } from "../model/plant-model.ts";
import type { Observation } from "../control/types.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { stepBoundsMs, stepsStartingBefore } from "../optimizer/plan-grid.ts";
import { coverageProblem, meanOverArray, plantForecast, type ForecastArrays } from "./plant-forecast.ts";
import type { DropQuantity, DropSeries } from "./drop-problems.ts";
import { forecastItHeat, forecastNetworkDemand, type HourlySeries } from "./learned/index.ts";

/**
 * The daemon's forecast for a plan (DESIGN §4 "Forecasts"), each quantity from the best source it has, and which:
 * - IT heat and network demand: learned from the plant's own history (learned/), the model's profiles while the
 *   history is short (and, for demand, the plant's forecast array before the model's signature);
 * - prices and weather: the plant's OPC UA forecast arrays, else the drop folder's files, else the last known
 *   values held (with their age).
 * Pure: histories, arrays and files come in as data.
 */
export interface ForecastHistories {
  itHeat: HourlySeries;
  dhDemand: HourlySeries;
  outdoorTemp: HourlySeries;
}

export type DropForecasts = Partial<Record<DropQuantity, { series: DropSeries; file: string; ageS: number }>>;

/** The measurement each forecast quantity is the future of (what it is learned from, scored on, or held at). */
export const MEASURED_AS = {
  it_heat_kw: "dc.it_heat_kw",
  dh_demand_kw: "dh.demand_kw",
  outdoor_temp_c: "weather.outdoor_temp_c",
  solar_w_m2: "weather.solar_w_m2",
  price_el_eur_mwh: "market.price_el_eur_mwh",
} as const;

export type ForecastQuantity = keyof typeof MEASURED_AS;

export interface QuantitySource {
  source: string;
  why?: string;
}

export interface DaemonForecast {
  forecast: PlanForecast;
  sources: Record<ForecastQuantity, QuantitySource>;
}

/** Whether a drop series covers now to half the horizon (the bar the plant's arrays must clear too). */
function covers(s: DropSeries, nowMs: number, horizonMs: number): boolean {
  return coverageProblem(s.startMs, s.startMs + s.values.length * s.stepS * 1000, nowMs, horizonMs) === null;
}

export function daemonForecast(m: PlantModel, obs: Observation, stepsS: readonly number[], inputs: { arrays: ForecastArrays | null; drop: DropForecasts; histories: ForecastHistories | null }): DaemonForecast {
  const pf = plantForecast(m, obs, stepsS, inputs.arrays);
  const f = pf.forecast;
  const bounds = stepBoundsMs(obs.timeMs, stepsS);
  const horizonMs = bounds[bounds.length - 1]! - bounds[0]!;
  const plantSource: QuantitySource = pf.source === "plant" ? { source: "plant" } : { source: "last known", why: pf.why ?? "no forecast arrays" };
  const sources: DaemonForecast["sources"] = {
    it_heat_kw: { source: "model", why: "persistence: no history" },
    dh_demand_kw: pf.source === "plant" ? { source: "plant" } : { source: "model", why: pf.why ?? "no forecast arrays" },
    outdoor_temp_c: plantSource,
    solar_w_m2: pf.source === "plant" ? { source: "plant" } : { source: "model", why: "no sun assumed" },
    price_el_eur_mwh: plantSource,
  };
  if (pf.source !== "plant") {
    const take = (q: DropQuantity, into: number[], keepFirst: boolean) => {
      const d = inputs.drop[q];
      if (!d || !covers(d.series, obs.timeMs, horizonMs)) return;
      const a = { startMs: d.series.startMs, stepS: d.series.stepS, series: {} };
      for (let t = keepFirst ? 1 : 0; t < f.n; t++) into[t] = meanOverArray(a, d.series.values, bounds[t]!, bounds[t + 1]!);
      sources[q] = { source: `drop folder: ${d.file}`, why: `file ${Math.round(d.ageS)} s old` };
    };
    // The present as observed stays at step 0 for the measured quantities.
    take("price_el_eur_mwh", f.priceElEurPerMwh, true);
    take("outdoor_temp_c", f.outdoorTempC, true);
    take("solar_w_m2", f.solarWm2, false);
  }
  const h = inputs.histories;
  if (h) {
    const it = forecastItHeat({ model: m, itHeatHistory: h.itHeat, observedItHeatKw: obs.itHeatKw, nowMs: obs.timeMs, stepBoundsMs: bounds });
    if (it.source === "learned") {
      f.itHeatKw = it.valuesKw;
      sources.it_heat_kw = { source: "learned" };
    } else sources.it_heat_kw = { source: "model", why: `persistence: ${it.why ?? "history too short"}` };
    const dh = forecastNetworkDemand({ model: m, demandHistory: h.dhDemand, outdoorTempHistory: h.outdoorTemp, observedDemandKw: obs.dhDemandKw > 0 ? obs.dhDemandKw : Number.NaN, observedOutdoorTempC: obs.outdoorTempC, nowMs: obs.timeMs, stepBoundsMs: bounds, outdoorTempForecastC: f.outdoorTempC });
    if (dh.source === "learned") {
      f.dhDemandKw = dh.valuesKw;
      sources.dh_demand_kw = { source: "learned" };
      // A network taking nothing now is assumed out for the next hour, as plantForecast does.
      const outageSteps = obs.dhDemandKw <= 0 && (f.dhDemandKw[0] ?? 0) > 0 ? stepsStartingBefore(stepsS as number[], 3600) : 0;
      for (let t = 0; t < outageSteps; t++) f.dhDemandKw[t] = 0;
    } else sources.dh_demand_kw = { ...sources.dh_demand_kw, why: `${sources.dh_demand_kw.why ? `${sources.dh_demand_kw.why}; ` : ""}not learned: ${dh.why ?? "history too short"}` };
  }
  return { forecast: f, sources };
}

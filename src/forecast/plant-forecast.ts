import type { PlantModel } from "../model/plant-model.ts";
import type { Observation } from "../control/types.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { stepBoundsMs, stepsStartingBefore } from "../optimizer/plan-grid.ts";
import { networkDemandKw } from "../physics/demand.ts";
import { parisLocalParts } from "../physics/paris-time.ts";

/**
 * The daemon's forecast for a plan: the plant's forecast arrays (weather, prices, network demand) averaged over
 * each plan step, the present as observed; the IT heat by persistence (it is flat, ±3 %). Without usable arrays,
 * the model's own profiles: outdoor temperature and price held at what is observed, no sun, network demand from the
 * model's heating signature. Pure: the arrays come in as data.
 */
export interface ForecastArrays {
  startMs: number;
  stepS: number;
  series: Record<string, number[]>;
}

export const FORECAST_SERIES = ["forecast.outdoor_temp_c", "forecast.solar_w_m2", "forecast.price_el_eur_mwh", "forecast.dh_demand_kw"] as const;

export interface PlantForecast {
  forecast: PlanForecast;
  source: "plant" | "model";
  /** Why the model's profiles were used (absent when the plant's arrays were). */
  why?: string;
}

/** Mean of a piecewise-constant array over [aMs, bMs), holding the first and last values outside it. */
export function meanOverArray(a: Pick<ForecastArrays, "startMs" | "stepS">, values: readonly number[], fromMs: number, toMs: number): number {
  const stepMs = a.stepS * 1000;
  let sum = 0;
  let t = fromMs;
  while (t < toMs) {
    const i = Math.floor((t - a.startMs) / stepMs);
    const end = Math.min(toMs, i < 0 ? a.startMs : a.startMs + (i + 1) * stepMs);
    const v = values[Math.min(values.length - 1, Math.max(0, i))]!;
    const until = end > t ? end : toMs;
    sum += v * (until - t);
    t = until;
  }
  return sum / (toMs - fromMs);
}

/** Why a forecast covering [startMs, endMs) cannot serve a plan from nowMs over horizonMs, or null. */
export function coverageProblem(startMs: number, endMs: number, nowMs: number, horizonMs: number): string | null {
  // An hour's slack at the start: a forecast published at the top of the hour covers the minutes before its start.
  if (startMs > nowMs + 3_600_000) return `the forecast starts ${new Date(startMs).toISOString()}, after now`;
  if (endMs < nowMs + horizonMs / 2) return `the forecast ends ${new Date(endMs).toISOString()}, before half the horizon`;
  return null;
}

/** Why these arrays cannot serve a plan from nowMs over horizonMs, or null. */
export function forecastProblem(a: ForecastArrays | null, nowMs: number, horizonMs: number): string | null {
  if (!a) return "no forecast arrays";
  for (const k of FORECAST_SERIES) if (!a.series[k]?.length) return `no ${k} array`;
  const endMs = a.startMs + a.stepS * 1000 * Math.min(...FORECAST_SERIES.map((k) => a.series[k]!.length));
  return coverageProblem(a.startMs, endMs, nowMs, horizonMs);
}

export function plantForecast(m: PlantModel, obs: Observation, stepsS: readonly number[], arrays: ForecastArrays | null): PlantForecast {
  const n = stepsS.length;
  const bounds = stepBoundsMs(obs.timeMs, stepsS);
  const horizonMs = bounds[n]! - bounds[0]!;
  const why = forecastProblem(arrays, obs.timeMs, horizonMs);
  const per = (f: (from: number, to: number, t: number) => number) => Array.from({ length: n }, (_, t) => f(bounds[t]!, bounds[t + 1]!, t));
  let outdoorTempC: number[], solarWm2: number[], priceElEurPerMwh: number[], dhDemandKw: number[];
  if (why === null) {
    const a = arrays!;
    const s = (k: (typeof FORECAST_SERIES)[number]) => per((from, to) => meanOverArray(a, a.series[k]!, from, to));
    outdoorTempC = s("forecast.outdoor_temp_c");
    solarWm2 = s("forecast.solar_w_m2");
    priceElEurPerMwh = s("forecast.price_el_eur_mwh");
    dhDemandKw = s("forecast.dh_demand_kw");
  } else {
    outdoorTempC = per(() => obs.outdoorTempC);
    solarWm2 = per(() => 0);
    priceElEurPerMwh = per(() => obs.priceElEurPerMwh);
    dhDemandKw = per((from, to) => networkDemandKw(m.network, obs.outdoorTempC, parisLocalParts((from + to) / 2).hourOfWeek));
  }
  // The present as observed; a network taking nothing now is assumed out for the next hour (as in the simulator).
  outdoorTempC[0] = obs.outdoorTempC;
  priceElEurPerMwh[0] = obs.priceElEurPerMwh;
  const outageSteps = obs.dhDemandKw <= 0 && (dhDemandKw[0] ?? 0) > 0 ? stepsStartingBefore(stepsS as number[], 3600) : 0;
  for (let t = 0; t < outageSteps; t++) dhDemandKw[t] = 0;
  const forecast: PlanForecast = {
    startMs: obs.timeMs,
    stepsS: [...stepsS],
    n,
    itHeatKw: per(() => obs.itHeatKw),
    outdoorTempC,
    solarWm2,
    priceElEurPerMwh,
    dhDemandKw,
    hpAvailable: obs.hps.map((h) => new Array<boolean>(n).fill(h.available)),
  };
  return why === null ? { forecast, source: "plant" } : { forecast, source: "model", why };
}

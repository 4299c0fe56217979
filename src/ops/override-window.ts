import type { PlantModel } from "../model/plant-model.ts";
import { itHeatMaxKw } from "../model/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { stepBoundsMs } from "../optimizer/plan-grid.ts";
import { networkDemandKw } from "../physics/demand.ts";
import { parisLocalParts } from "../physics/paris-time.ts";

/**
 * An override is checked over its whole window, whenever it starts (issue 18 item 1): the forecast covers a day or
 * two, an override may start a week ahead. Beyond the forecast nothing about the weather is known, so the check
 * takes what the plant can be sure of there: the servers at the top of their band, the model's cooling design
 * outdoor temperature (the dry coolers' worst case), the network's hot-water demand at that temperature (its
 * summer floor, from the model's signature and hour-of-week profile), no sun, units as available as now. That is
 * strict on purpose: an override far ahead that needs a mild day to be safe is refused, with the advice to set it
 * once the forecast covers it.
 */
export interface CheckForecast {
  forecast: PlanForecast;
  /** Index of the first step beyond the forecast (= forecast.n of the input when nothing was added). */
  designFromStep: number;
}

/** Steps added beyond the forecast: an hour each (conditions there are constant, so coarse steps lose nothing). */
const DESIGN_STEP_S = 3600;

/** The forecast extended at design conditions up to `untilMs` (unchanged when it already reaches it). */
export function extendToCover(m: PlantModel, f: PlanForecast, untilMs: number): CheckForecast {
  const endMs = stepBoundsMs(f.startMs, f.stepsS)[f.n]!;
  if (untilMs <= endMs) return { forecast: f, designFromStep: f.n };
  const stepsS: number[] = [];
  for (let t = endMs; t < untilMs; t += DESIGN_STEP_S * 1000) stepsS.push(Math.min(DESIGN_STEP_S, (untilMs - t) / 1000));
  const bounds = stepBoundsMs(endMs, stepsS);
  const designC = m.coolingDesignOutdoorC;
  const k = stepsS.length;
  const last = <T>(a: readonly T[]) => a[a.length - 1]!;
  const forecast: PlanForecast = {
    startMs: f.startMs,
    stepsS: [...f.stepsS, ...stepsS],
    n: f.n + k,
    itHeatKw: [...f.itHeatKw, ...stepsS.map(() => itHeatMaxKw(m))],
    outdoorTempC: [...f.outdoorTempC, ...stepsS.map(() => designC)],
    solarWm2: [...f.solarWm2, ...stepsS.map(() => 0)],
    priceElEurPerMwh: [...f.priceElEurPerMwh, ...stepsS.map(() => last(f.priceElEurPerMwh))],
    dhDemandKw: [...f.dhDemandKw, ...stepsS.map((_, t) => networkDemandKw(m.network, designC, parisLocalParts((bounds[t]! + bounds[t + 1]!) / 2).hourOfWeek))],
    hpAvailable: f.hpAvailable.map((a) => [...a, ...stepsS.map(() => last(a))]),
    ...(f.outdoorTempSigmaK ? { outdoorTempSigmaK: [...f.outdoorTempSigmaK, ...stepsS.map(() => 0)] } : {}),
  };
  return { forecast, designFromStep: f.n };
}

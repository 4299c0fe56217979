import { eventActive, type Scenario } from "../config/scenario.ts";
import type { Forecaster } from "../control/mpc.ts";
import { stepMeans } from "../forecast/aggregate.ts";
import { tempErrorSigmaK, withForecastErrors, type Truth } from "../forecast/error-model.ts";
import type { ScenarioInputs } from "./inputs.ts";
import { stepBoundsMs, stepsStartingBefore } from "../optimizer/plan-grid.ts";

/** Means of the scenario's truth over plan steps from `startMs` (before the inputs begin, their first value holds). */
export function truthWindow(inputs: ScenarioInputs, startMs: number, stepsS: readonly number[]): Truth {
  const per = stepsS.map((d) => Math.max(1, Math.round(d / inputs.stepS)));
  const i0 = Math.max(0, Math.round((startMs - inputs.startMs) / (inputs.stepS * 1000)));
  return {
    itHeatKw: stepMeans(inputs.itHeatKw, i0, per),
    outdoorTempC: stepMeans(inputs.outdoorTempC, i0, per),
    solarWm2: stepMeans(inputs.solarWm2, i0, per),
    priceElEurPerMwh: stepMeans(inputs.priceElEurPerMwh, i0, per),
    dhDemandKw: stepMeans(inputs.dhDemandKw, i0, per),
  };
}

/** Perfect foresight: the truth, outages and trips included (the oracle; simulator only). */
export function perfectForecaster(sc: Scenario, inputs: ScenarioInputs): Forecaster {
  return (obs, stepsS) => {
    const tr = truthWindow(inputs, obs.timeMs, stepsS);
    const times = stepBoundsMs(obs.timeMs, stepsS).slice(0, -1);
    return {
      startMs: obs.timeMs,
      stepsS,
      n: stepsS.length,
      ...tr,
      dhDemandKw: tr.dhDemandKw.map((d, t) => (eventActive(sc, "network_outage", times[t]!) ? 0 : d)),
      hpAvailable: sc.model.heatPumps.map((h) => times.map((t) => !eventActive(sc, "hp_trip", t, h.id))),
    };
  };
}

/**
 * What the plant PC would know: forecasts with the seeded error model, now as observed, a tripped unit assumed
 * out for the whole horizon, and a network that takes no heat now assumed out for the next hour. The forecast says
 * how far its outdoor temperature may be off (the error model's spread), for the plan to keep heat against it.
 */
export function noisyForecaster(sc: Scenario, inputs: ScenarioInputs): Forecaster {
  return (obs, stepsS) => {
    const n = stepsS.length;
    const tr = withForecastErrors(truthWindow(inputs, obs.timeMs, stepsS), stepsS, obs.timeMs, sc.seed);
    const outageNow = obs.dhDemandKw <= 0 && (tr.dhDemandKw[0] ?? 0) > 0;
    const outageSteps = outageNow ? stepsStartingBefore(stepsS, 3600) : 0;
    tr.itHeatKw[0] = obs.itHeatKw;
    tr.outdoorTempC[0] = obs.outdoorTempC;
    tr.priceElEurPerMwh[0] = obs.priceElEurPerMwh;
    return {
      startMs: obs.timeMs,
      stepsS,
      n,
      ...tr,
      dhDemandKw: tr.dhDemandKw.map((d, t) => (t < outageSteps ? 0 : d)),
      hpAvailable: obs.hps.map((h) => new Array<boolean>(n).fill(h.available)),
      outdoorTempSigmaK: tempErrorSigmaK(stepsS),
    };
  };
}

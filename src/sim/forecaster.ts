import { eventActive, type Scenario } from "../config/scenario.ts";
import type { Forecaster } from "../control/mpc.ts";
import { stepMeans } from "../forecast/aggregate.ts";
import { withForecastErrors, type Truth } from "../forecast/error-model.ts";
import type { ScenarioInputs } from "./inputs.ts";


function truthWindow(inputs: ScenarioInputs, startMs: number, n: number, stepS: number): Truth {
  const per = Math.max(1, Math.round(stepS / inputs.stepS));
  const i0 = Math.round((startMs - inputs.startMs) / (inputs.stepS * 1000));
  return {
    itHeatKw: stepMeans(inputs.itHeatKw, i0, per, n),
    outdoorTempC: stepMeans(inputs.outdoorTempC, i0, per, n),
    solarWm2: stepMeans(inputs.solarWm2, i0, per, n),
    priceElEurPerMwh: stepMeans(inputs.priceElEurPerMwh, i0, per, n),
    dhDemandKw: stepMeans(inputs.dhDemandKw, i0, per, n),
  };
}

/** Perfect foresight: the truth, outages and trips included (the oracle; simulator only). */
export function perfectForecaster(sc: Scenario, inputs: ScenarioInputs): Forecaster {
  return (obs, n, stepS) => {
    const tr = truthWindow(inputs, obs.timeMs, n, stepS);
    const times = Array.from({ length: n }, (_, t) => obs.timeMs + t * stepS * 1000);
    return {
      startMs: obs.timeMs,
      stepS,
      n,
      ...tr,
      dhDemandKw: tr.dhDemandKw.map((d, t) => (eventActive(sc, "network_outage", times[t]!) ? 0 : d)),
      hpAvailable: sc.model.heatPumps.map((h) => times.map((t) => !eventActive(sc, "hp_trip", t, h.id))),
    };
  };
}

/**
 * What the plant PC would know: forecasts with the seeded error model, now as observed, a tripped unit assumed
 * out for the whole horizon, and a network that takes no heat now assumed out for the next hour.
 */
export function noisyForecaster(sc: Scenario, inputs: ScenarioInputs): Forecaster {
  return (obs, n, stepS) => {
    const tr = withForecastErrors(truthWindow(inputs, obs.timeMs, n, stepS), stepS, obs.timeMs, sc.seed);
    const outageNow = obs.dhDemandKw <= 0 && (tr.dhDemandKw[0] ?? 0) > 0;
    const outageSteps = outageNow ? Math.ceil(3600 / stepS) : 0;
    tr.itHeatKw[0] = obs.itHeatKw;
    tr.outdoorTempC[0] = obs.outdoorTempC;
    tr.priceElEurPerMwh[0] = obs.priceElEurPerMwh;
    return {
      startMs: obs.timeMs,
      stepS,
      n,
      ...tr,
      dhDemandKw: tr.dhDemandKw.map((d, t) => (t < outageSteps ? 0 : d)),
      hpAvailable: obs.hps.map((h) => new Array<boolean>(n).fill(h.available)),
    };
  };
}

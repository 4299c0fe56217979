import { createRng } from "../physics/random.ts";

/**
 * Seeded forecast errors for the simulator: forecast = truth + an AR(1) error whose spread grows with lead time.
 * The same (seed, issue time) always gives the same forecast, so runs are reproducible.
 * Spreads are assumed, typical of day-ahead forecasts: temperature σ = 0.4 K + 0.07 K/h of lead; irradiance
 * 15 % + 1 %/h; network demand 3 % + 0.3 %/h; IT heat 1 %; prices known for the next 12 h (day-ahead auction),
 * then ±12 €/MWh. σ scales a unit AR(1) that starts at zero now, so the realised spread is smaller at short
 * leads (temperature, measured: rms ≈ 0.27 K at 1–2 h, ≈ 2 K at 20–24 h).
 */
export interface ErrorSpec {
  tempSigmaK: [number, number];
  solarRel: [number, number];
  demandRel: [number, number];
  itRel: number;
  priceKnownH: number;
  priceSigmaEurPerMwh: number;
  /** Step-to-step correlation of errors (per hour of lead). */
  rhoPerHour: number;
}

export const DEFAULT_ERRORS: ErrorSpec = {
  tempSigmaK: [0.4, 0.07],
  solarRel: [0.15, 0.01],
  demandRel: [0.03, 0.003],
  itRel: 0.01,
  priceKnownH: 12,
  priceSigmaEurPerMwh: 12,
  rhoPerHour: 0.9,
};

export interface Truth {
  itHeatKw: number[];
  outdoorTempC: number[];
  solarWm2: number[];
  priceElEurPerMwh: number[];
  dhDemandKw: number[];
}

function issueSeed(seed: number, issueMs: number): number {
  // Mix the scenario seed with the issue time (minutes) into 32 bits.
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ Math.floor(issueMs / 60_000), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Applies the error model to a truth window starting at the issue time (step 0 = now, taken as observed). */
export function withForecastErrors(truth: Truth, stepsS: readonly number[], issueMs: number, seed: number, spec: ErrorSpec = DEFAULT_ERRORS): Truth {
  const rng = createRng(issueSeed(seed, issueMs));
  const n = truth.outdoorTempC.length;
  let leadS = 0;
  const e = { temp: 0, solar: 0, demand: 0, it: 0, price: 0 };
  const out: Truth = { itHeatKw: [], outdoorTempC: [], solarWm2: [], priceElEurPerMwh: [], dhDemandKw: [] };
  for (let t = 0; t < n; t++) {
    const leadH = leadS / 3600;
    // AR(1) per hour, whatever the step: a longer step decorrelates more.
    const rho = Math.pow(spec.rhoPerHour, stepsS[t]! / 3600);
    const innov = Math.sqrt(1 - rho * rho);
    leadS += stepsS[t]!;
    e.temp = rho * e.temp + innov * rng.normal();
    e.solar = rho * e.solar + innov * rng.normal();
    e.demand = rho * e.demand + innov * rng.normal();
    e.it = rho * e.it + innov * rng.normal();
    e.price = rho * e.price + innov * rng.normal();
    const now = t === 0;
    out.outdoorTempC.push(truth.outdoorTempC[t]! + (now ? 0 : e.temp * (spec.tempSigmaK[0] + spec.tempSigmaK[1] * leadH)));
    out.solarWm2.push(Math.max(0, truth.solarWm2[t]! * (1 + (now ? 0 : e.solar * (spec.solarRel[0] + spec.solarRel[1] * leadH)))));
    out.dhDemandKw.push(Math.max(0, truth.dhDemandKw[t]! * (1 + (now ? 0 : e.demand * (spec.demandRel[0] + spec.demandRel[1] * leadH)))));
    out.itHeatKw.push(Math.max(0, truth.itHeatKw[t]! * (1 + (now ? 0 : e.it * spec.itRel))));
    out.priceElEurPerMwh.push(truth.priceElEurPerMwh[t]! + (leadH < spec.priceKnownH ? 0 : e.price * spec.priceSigmaEurPerMwh));
  }
  return out;
}

/**
 * The spread (1 σ, K) of withForecastErrors' outdoor temperature error at each step: σ at the step's lead times the
 * share of the unit AR(1) realised by then (it starts at zero now, so its variance is 1 − Π ρ² over the steps so
 * far); 0 at step 0, which is observed. What a plan needs to know of how far its forecast may be off.
 */
export function tempErrorSigmaK(stepsS: readonly number[], spec: ErrorSpec = DEFAULT_ERRORS): number[] {
  const out: number[] = [];
  let leadS = 0;
  let rhoSq = 1;
  for (let t = 0; t < stepsS.length; t++) {
    const rho = Math.pow(spec.rhoPerHour, stepsS[t]! / 3600);
    rhoSq *= rho * rho;
    out.push(t === 0 ? 0 : (spec.tempSigmaK[0] + (spec.tempSigmaK[1] * leadS) / 3600) * Math.sqrt(1 - rhoSq));
    leadS += stepsS[t]!;
  }
  return out;
}

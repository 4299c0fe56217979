/**
 * How good the forecasts were (DESIGN §4: "each forecast's error is measured against what happened"): MAE by
 * lead time and skill against persistence, as plain data for the history (JSON).
 *
 * Lead buckets: a step belongs to bucket [edge k, edge k+1) by the lead from the issue time to the step's START,
 * in hours. Default edges 0, 1, …, 24: one bucket per whole hour of the 24-h horizon (DESIGN §3), so "1 h" below
 * means bucket 0–1 h (the hour after the issue) and "24 h" bucket 23–24 h (the hour ending a day ahead).
 * Steps starting at or past the last edge are counted in stepsBeyondLastEdge and not scored.
 *
 * Actual of a step: the duration-weighted mean of the hourly actuals over it, only when every hour it touches is
 * known (a 15-min step is compared with its hour's mean: the history keeps hours). MAE is weighted by step
 * duration, so a bucket of four 15-min steps weighs as one 1-h step.
 *
 * Persistence: the value at issue time held over the horizon, i.e. the daemon without a forecaster. It is the
 * forecast's observedAtIssueKw when given (what the daemon saw), else the mean of the last complete hour before
 * the issue time (the hour containing it would borrow from the future). Skill = 1 − MAE / MAE_persistence,
 * on exactly the same steps; null when persistence made no error or nothing was scored.
 */
import { HOUR_MS, hourFloorMs, meanOverMs, valueAtHour, type HourlySeries } from "./hourly.ts";

export interface IssuedForecast {
  issuedAtMs: number;
  /** n + 1 step boundaries in ms. */
  stepBoundsMs: readonly number[];
  /** n step means, kW. */
  valuesKw: readonly number[];
  /** The value observed at issue, kW: the persistence reference (default: last complete hour's mean). */
  observedAtIssueKw?: number;
}

export interface LeadBucketScore {
  leadFromH: number;
  leadToH: number;
  /** Hours of steps scored (Σ step durations). */
  hours: number;
  maeKw: number | null;
  /** Mean of forecast − actual: a forecaster that is always high shows here, MAE cannot tell. */
  biasKw: number | null;
  persistenceMaeKw: number | null;
  skill: number | null;
}

export interface ForecastScore {
  bucketEdgesH: number[];
  buckets: LeadBucketScore[];
  forecastsScored: number;
  /** Forecasts with no persistence reference (no observed value, last hour missing): not scored at all. */
  forecastsSkipped: number;
  /** Steps with an actual hour missing. */
  stepsWithoutActual: number;
  stepsBeyondLastEdge: number;
}

export const DEFAULT_BUCKET_EDGES_H: readonly number[] = Array.from({ length: 25 }, (_, k) => k);

export function scoreForecasts(issued: readonly IssuedForecast[], actual: HourlySeries, opts: { bucketEdgesH?: readonly number[] } = {}): ForecastScore {
  const edges = [...(opts.bucketEdgesH ?? DEFAULT_BUCKET_EDGES_H)];
  for (let k = 1; k < edges.length; k++) if (!(edges[k]! > edges[k - 1]!)) throw new RangeError(`bucket edges must increase, got ${edges.join(", ")}`);
  const nb = edges.length - 1;
  const hours = new Float64Array(nb), absErr = new Float64Array(nb), err = new Float64Array(nb), absPers = new Float64Array(nb);
  let forecastsScored = 0, forecastsSkipped = 0, stepsWithoutActual = 0, stepsBeyondLastEdge = 0;
  for (const f of issued) {
    const n = f.stepBoundsMs.length - 1;
    if (f.valuesKw.length !== n) throw new RangeError(`forecast issued at ${f.issuedAtMs}: ${f.valuesKw.length} values for ${n} steps`);
    const held = f.observedAtIssueKw !== undefined && Number.isFinite(f.observedAtIssueKw) ? f.observedAtIssueKw : valueAtHour(actual, hourFloorMs(f.issuedAtMs) - HOUR_MS);
    if (!Number.isFinite(held)) {
      forecastsSkipped++;
      continue;
    }
    forecastsScored++;
    for (let t = 0; t < n; t++) {
      const a = f.stepBoundsMs[t]!, b = f.stepBoundsMs[t + 1]!;
      const leadH = (a - f.issuedAtMs) / HOUR_MS;
      const k = bucketOf(edges, leadH);
      if (k < 0) {
        if (leadH >= edges[nb]!) stepsBeyondLastEdge++;
        continue;
      }
      const actualKw = meanOverMs(actual, a, b, 1);
      if (!Number.isFinite(actualKw)) {
        stepsWithoutActual++;
        continue;
      }
      const durH = (b - a) / HOUR_MS;
      hours[k]! += durH;
      absErr[k]! += durH * Math.abs(f.valuesKw[t]! - actualKw);
      err[k]! += durH * (f.valuesKw[t]! - actualKw);
      absPers[k]! += durH * Math.abs(held - actualKw);
    }
  }
  const buckets = Array.from({ length: nb }, (_, k): LeadBucketScore => {
    const h = hours[k]!;
    const mae = h > 0 ? absErr[k]! / h : null;
    const pers = h > 0 ? absPers[k]! / h : null;
    return {
      leadFromH: edges[k]!,
      leadToH: edges[k + 1]!,
      hours: h,
      maeKw: mae,
      biasKw: h > 0 ? err[k]! / h : null,
      persistenceMaeKw: pers,
      skill: mae !== null && pers !== null && pers > 0 ? 1 - mae / pers : null,
    };
  });
  return { bucketEdgesH: edges, buckets, forecastsScored, forecastsSkipped, stepsWithoutActual, stepsBeyondLastEdge };
}

/** Index k with edges[k] ≤ leadH < edges[k+1], or −1. */
function bucketOf(edges: readonly number[], leadH: number): number {
  // Step starts are whole seconds after the issue: a tolerance keeps 3600 s − rounding in bucket 1, not 0.
  const x = leadH + 1e-9;
  for (let k = 0; k + 1 < edges.length; k++) if (x >= edges[k]! && x < edges[k + 1]!) return k;
  return -1;
}

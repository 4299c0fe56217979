/**
 * How fast what a profile does not explain fades, and the step means of "profile + decaying persistence of the
 * present anomaly" that both learned forecasters hand the planner. Pure arithmetic over arrays.
 */
import { HOUR_MS, hourFloorMs, parisHourOfWeek } from "./hourly.ts";

/** Residual correlation per hour assumed when the history has too few consecutive hour pairs to measure it. */
export const RHO_WHEN_UNMEASURED = 0.5;
/** Leads with their own measured weight; beyond, the weight keeps falling at the 1-h rate. */
export const DECAY_MAX_LAG_H = 48;
const MIN_PAIRS = 24;

/**
 * How much of the anomaly now is still there at each whole-hour lead: w[0] = 1, w[k] for k = 1…DECAY_MAX_LAG_H.
 * "acf" (default): w[k] = the residuals' own autocorrelation at lag k h, the least-squares weight of the present
 * anomaly for a forecast k h ahead. "ar1": w[k] = rho1^k from the lag-1 h value alone, which assumes one
 * exponential memory; real residuals often have two (a fast one of hours and a day-scale level: measured on the
 * 2023 replay demand, acf 0.89 at 1 h but still 0.49 at 24 h where 0.89^24 = 0.07), so "ar1" forgets the level
 * too soon. Each w is clamped to [0, 1]: a negative weight would flip the anomaly, which no physics supports here.
 */
export type DecayMode = "acf" | "ar1";

export interface PersistenceDecay {
  /** Weight of the present anomaly at whole-hour leads 0, 1, …; linear between, geometric (rate w[1]) beyond. */
  byLeadH: number[];
}

/** Autocorrelation of residuals (NaN = missing: only pairs of valid hours k apart count) at lags 0…maxLag. */
export function residualAutocorrelation(residuals: ArrayLike<number>, maxLagH: number): { acf: number[]; pairs: number[] } {
  let n = 0, mean = 0;
  for (let i = 0; i < residuals.length; i++) {
    if (Number.isFinite(residuals[i]!)) {
      n++;
      mean += residuals[i]!;
    }
  }
  mean = n > 0 ? mean / n : 0;
  let variance = 0;
  for (let i = 0; i < residuals.length; i++) if (Number.isFinite(residuals[i]!)) variance += (residuals[i]! - mean) ** 2;
  variance = n > 0 ? variance / n : 0;
  const acf = [1], pairs = [n];
  for (let k = 1; k <= maxLagH; k++) {
    let c = 0, p = 0;
    for (let i = 0; i + k < residuals.length; i++) {
      const a = residuals[i]!, b = residuals[i + k]!;
      if (Number.isFinite(a) && Number.isFinite(b)) {
        p++;
        c += (a - mean) * (b - mean);
      }
    }
    acf.push(p > 0 && variance > 1e-12 ? c / p / variance : Number.NaN);
    pairs.push(p);
  }
  return { acf, pairs };
}

export function decayFromResiduals(residuals: ArrayLike<number>, mode: DecayMode = "acf", maxLagH = DECAY_MAX_LAG_H): PersistenceDecay {
  const { acf, pairs } = residualAutocorrelation(residuals, maxLagH);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  // A profile that explains everything (zero variance) leaves nothing to persist.
  const rho1 = pairs[1]! < MIN_PAIRS ? RHO_WHEN_UNMEASURED : Number.isFinite(acf[1]!) ? clamp(acf[1]!) : 0;
  const byLeadH = [1];
  for (let k = 1; k <= maxLagH; k++) {
    const measured = mode === "acf" && pairs[k]! >= MIN_PAIRS && Number.isFinite(acf[k]!);
    byLeadH.push(measured ? clamp(acf[k]!) : rho1 ** k);
  }
  return { byLeadH };
}

/** Weight of the anomaly at a lead (hours ≥ 0). */
export function decayAt(d: PersistenceDecay, leadH: number): number {
  const w = d.byLeadH;
  const last = w.length - 1;
  const x = Math.max(0, leadH);
  if (x >= last) return w[last]! * (w[1] ?? 0) ** (x - last);
  const k = Math.floor(x);
  return w[k]! + (w[k + 1]! - w[k]!) * (x - k);
}

/**
 * Mean weight over leads [x0, x1] hours: the interval is cut at whole hours, where the weight is linear, so the
 * midpoint of each piece gives its exact mean (the geometric tail beyond the last lag is near-linear over an hour).
 */
export function meanDecay(d: PersistenceDecay, x0: number, x1: number): number {
  if (x1 - x0 < 1e-9) return decayAt(d, x0);
  let sum = 0;
  for (let a = x0; a < x1 - 1e-12; ) {
    const b = Math.min(x1, Math.floor(a + 1e-12) + 1);
    sum += (b - a) * decayAt(d, (a + b) / 2);
    a = b;
  }
  return sum / (x1 - x0);
}

/**
 * Step means of baseline(hour) + w(lead) · anomaly, where lead is hours from nowMs. Each step is cut at UTC hour
 * boundaries; each piece takes its hour's baseline and the exact mean of the decay over it, weighted by its
 * length. So a 15-min step takes its hour's value and a 3-h step the mean of three hours. Leads before now
 * count as 0 (the present anomaly in full).
 */
export function blendedStepMeans(
  boundsMs: readonly number[],
  nowMs: number,
  baselineAt: (hourStartMs: number, hourOfWeek: number, step: number) => number,
  anomaly: number,
  decay: PersistenceDecay,
): number[] {
  const out: number[] = [];
  for (let t = 0; t + 1 < boundsMs.length; t++) {
    const a = boundsMs[t]!, b = boundsMs[t + 1]!;
    if (!(b > a)) throw new RangeError(`step ${t} has no duration: bounds ${a} → ${b}`);
    let sum = 0;
    for (let h = hourFloorMs(a); h < b; h += HOUR_MS) {
      const p0 = Math.max(a, h), p1 = Math.min(b, h + HOUR_MS);
      const w = meanDecay(decay, Math.max(0, (p0 - nowMs) / HOUR_MS), Math.max(0, (p1 - nowMs) / HOUR_MS));
      sum += (p1 - p0) * (baselineAt(h, parisHourOfWeek(h), t) + w * anomaly);
    }
    out.push(sum / (b - a));
  }
  return out;
}

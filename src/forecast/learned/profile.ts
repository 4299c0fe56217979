/**
 * An hour-of-week profile learned from hourly samples, shared by both learned forecasters: Paris local
 * hour-of-week slots (the caller labels each UTC hour, so DST weeks need nothing here). Pure arithmetic.
 */

export type ProfileKind = "weekly" | "daily";

export interface SlotProfile {
  kind: ProfileKind;
  /** 168 values by Paris local hour-of-week, Monday 00h first (a daily profile is repeated on every day). */
  values: Float64Array;
  /** Hours with a value behind the profile, in days. */
  daysOfData: number;
  /** Pseudo-weeks that pulled each weekly slot toward its hour of the day (Infinity: no weekday effect seen). */
  shrinkWeeks: number;
}

export interface ProfileRules {
  /** Days of data (valid hours / 24) needed before a weekly profile: each weekday seen at least once. */
  minWeeklyDays: number;
  /** Days of data needed for a daily profile (2 ⇒ each hour of the day seen about twice). */
  minDailyDays: number;
  /**
   * Pseudo-weeks pulling each weekly slot toward its hour-of-day value: with w weeks seen, the slot weighs
   * w/(w + shrinkWeeks). "auto" (default) measures it (empirical Bayes): shrinkWeeks = σ²/τ², σ² the spread of
   * one week's value around its slot's mean, τ² the spread of true weekday effects (the spread of the slot means
   * around their hour of the day, less what σ² alone explains). A plant with no weekly rhythm (the simulator's IT
   * heat, a loop whose weekdays look alike) then gets the steadier daily profile, one with a real weekend keeps it.
   */
  shrinkWeeks: number | "auto";
}

export const DEFAULT_PROFILE_RULES: ProfileRules = { minWeeklyDays: 7, minDailyDays: 2, shrinkWeeks: "auto" };
/** Pull used by "auto" before two weeks of data, when no slot has two samples to measure σ² from. */
export const SHRINK_WEEKS_UNMEASURED = 2;

/**
 * Fits a ratio profile per slot, slot value = Σnum/Σden over the samples in it: den = 1 gives the mean (an
 * additive profile, IT heat), den = a baseline gives a multiplicative shape (network demand over its heating
 * signature). Samples must be valid (the caller drops missing hours). Returns null below minDailyDays.
 * Slots never seen take their hour of the day (or the overall ratio), so a gap never becomes a hole.
 */
export function fitSlotProfile(
  slots: ArrayLike<number>,
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  rules: ProfileRules = DEFAULT_PROFILE_RULES,
): SlotProfile | null {
  const n = slots.length;
  const daysOfData = n / 24;
  if (daysOfData < rules.minDailyDays) return null;
  const wNum = new Float64Array(168), wDen = new Float64Array(168), wCount = new Float64Array(168);
  let allNum = 0, allDen = 0;
  for (let i = 0; i < n; i++) {
    const s = slots[i]!;
    wNum[s]! += num[i]!;
    wDen[s]! += den[i]!;
    wCount[s]! += 1;
    allNum += num[i]!;
    allDen += den[i]!;
  }
  const overall = allDen !== 0 ? allNum / allDen : 0;
  const dNum = new Float64Array(24), dDen = new Float64Array(24);
  for (let s = 0; s < 168; s++) {
    dNum[s % 24]! += wNum[s]!;
    dDen[s % 24]! += wDen[s]!;
  }
  const daily = Array.from({ length: 24 }, (_, h) => (dDen[h]! !== 0 ? dNum[h]! / dDen[h]! : overall));
  const values = new Float64Array(168);
  if (daysOfData < rules.minWeeklyDays) {
    for (let s = 0; s < 168; s++) values[s] = daily[s % 24]!;
    return { kind: "daily", values, daysOfData, shrinkWeeks: Infinity };
  }
  const k = rules.shrinkWeeks === "auto" ? measuredShrinkWeeks(slots, num, den, wNum, wDen, wCount, daily) : rules.shrinkWeeks;
  for (let s = 0; s < 168; s++) {
    const d = daily[s % 24]!;
    const w = wCount[s]!;
    values[s] = wDen[s]! === 0 || !Number.isFinite(k) ? d : (w * (wNum[s]! / wDen[s]!) + k * d) / (w + k);
  }
  return { kind: "weekly", values, daysOfData, shrinkWeeks: k };
}

/** σ²/τ² of the rules' "auto" (see ProfileRules.shrinkWeeks); Infinity when no weekday effect stands out of the noise. */
function measuredShrinkWeeks(
  slots: ArrayLike<number>,
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  wNum: Float64Array,
  wDen: Float64Array,
  wCount: Float64Array,
  daily: number[],
): number {
  // σ²: pooled within-slot variance of one hour's ratio around its slot's ratio.
  let ss = 0, dof = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (wCount[s]! < 2 || den[i]! === 0 || wDen[s]! === 0) continue;
    ss += (num[i]! / den[i]! - wNum[s]! / wDen[s]!) ** 2;
    dof += 1;
  }
  for (let s = 0; s < 168; s++) if (wCount[s]! >= 2) dof -= 1;
  if (dof <= 0) return SHRINK_WEEKS_UNMEASURED;
  const sigma2 = ss / dof;
  // τ²: spread of the slots around their hour of the day, less the part their own sampling noise makes.
  let dev = 0, noise = 0, seen = 0;
  for (let s = 0; s < 168; s++) {
    if (wDen[s]! === 0) continue;
    dev += (wNum[s]! / wDen[s]! - daily[s % 24]!) ** 2;
    noise += sigma2 / wCount[s]!;
    seen++;
  }
  const tau2 = (dev - noise) / Math.max(1, seen);
  return tau2 > 0 ? sigma2 / tau2 : Infinity;
}

/** For the fit record: a weekly fit whose weekdays proved alike is, in effect, daily. */
export function profileLabel(p: SlotProfile): string {
  if (p.kind === "daily") return "daily";
  return Number.isFinite(p.shrinkWeeks) ? `weekly (pull ${p.shrinkWeeks.toFixed(1)} weeks toward daily)` : "weekly → daily (no weekday effect)";
}

/**
 * The time grid of a plan: one duration per step. Uniform by default (DESIGN §3: 24 h at 15 min); optionally
 * "move blocked": fine steps for the first hours, where decisions are acted on, coarser ones beyond, where the plan
 * only values energy and the store (the far horizon is re-planned many times before it comes due).
 */
export interface GridSpec {
  horizonS: number;
  stepS: number;
  /** From this offset on (s), steps are `coarseStepS` long. */
  coarseAfterS?: number;
  coarseStepS?: number;
}

/** How many steps planGrid would make, by arithmetic: config checks it before a grid of millions is built. */
export function gridStepCount(g: GridSpec): number {
  const coarse = g.coarseAfterS !== undefined && g.coarseStepS !== undefined;
  const fineS = coarse ? Math.min(g.horizonS, g.coarseAfterS!) : g.horizonS;
  return Math.ceil(fineS / g.stepS - 1e-9) + (coarse ? Math.ceil(Math.max(0, g.horizonS - g.coarseAfterS!) / g.coarseStepS! - 1e-9) : 0);
}

export function planGrid(g: GridSpec): number[] {
  const out: number[] = [];
  let t = 0;
  while (t < g.horizonS - 1e-9) {
    const coarse = g.coarseStepS !== undefined && g.coarseAfterS !== undefined && t >= g.coarseAfterS - 1e-9;
    const d = Math.min(coarse ? g.coarseStepS! : g.stepS, g.horizonS - t);
    out.push(d);
    t += d;
  }
  return out;
}

export function uniformGrid(n: number, stepS: number): number[] {
  return new Array<number>(n).fill(stepS);
}

/** Start times (ms) of every step, plus the horizon's end as the last element. */
export function stepBoundsMs(startMs: number, stepsS: readonly number[]): number[] {
  const out = [startMs];
  let t = startMs;
  for (const d of stepsS) out.push((t += d * 1000));
  return out;
}

export function gridDurationS(stepsS: readonly number[]): number {
  return stepsS.reduce((a, b) => a + b, 0);
}

/** Number of leading steps that start before `offsetS` from the plan start. */
export function stepsStartingBefore(stepsS: readonly number[], offsetS: number): number {
  let t = 0;
  let k = 0;
  while (k < stepsS.length && t < offsetS - 1e-9) t += stepsS[k++]!;
  return k;
}

/** For each step t, the earliest step k that starts less than `s` seconds before step t starts. */
export function windowStartSteps(stepsS: readonly number[], s: number): number[] {
  const out: number[] = [];
  const starts = stepBoundsMs(0, stepsS);
  let k = 0;
  for (let t = 0; t < stepsS.length; t++) {
    while (starts[t]! - starts[k]! >= s * 1000 - 1e-6) k++;
    out.push(k);
  }
  return out;
}

/**
 * Means of a fine series over consecutive windows of `perStep[t]` values each, from `fromIndex`: what a plan
 * step sees of 1-min truth. Past the series' end the last value is held.
 */
export function stepMeans(values: ArrayLike<number>, fromIndex: number, perStep: readonly number[]): number[] {
  const out: number[] = new Array(perStep.length);
  const last = values.length - 1;
  let i = fromIndex;
  for (let t = 0; t < perStep.length; t++) {
    const w = Math.max(1, perStep[t]!);
    let s = 0;
    for (let k = 0; k < w; k++) s += values[Math.min(last, i + k)]!;
    out[t] = s / w;
    i += w;
  }
  return out;
}

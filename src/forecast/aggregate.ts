/** Means of a fine series over coarser steps: what a 15-min plan sees of 1-min truth. */
export function stepMeans(values: ArrayLike<number>, fromIndex: number, perStep: number, n: number): number[] {
  const out: number[] = new Array(n);
  const last = values.length - 1;
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let k = 0; k < perStep; k++) s += values[Math.min(last, fromIndex + t * perStep + k)]!;
    out[t] = s / perStep;
  }
  return out;
}

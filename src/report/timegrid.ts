/**
 * Time → x mapping plus decimation: with more points than ~2 per pixel column, points are grouped per pixel column
 * (lines keep each column's min and max so peaks survive; areas and tooltips use the column mean). Builds SVG paths
 * whose coordinates are rounded to 0.1 and which break at NaN/missing values.
 */

import { coord } from "./format.ts";

export interface Bucket {
  /** x of the bucket in SVG units. */
  x: number;
  /** Indices into the series, in time order. */
  indices: number[];
  /** Time of the first and last point. */
  t0: number;
  t1: number;
}

export interface TimeGrid {
  t0: number;
  t1: number;
  x0: number;
  x1: number;
  buckets: Bucket[];
  /** Whether points were grouped (decimated). */
  grouped: boolean;
  xOf(ms: number): number;
}

export function buildTimeGrid(timeMs: readonly number[], x0: number, x1: number): TimeGrid {
  const order: number[] = [];
  for (let i = 0; i < timeMs.length; i++) if (Number.isFinite(timeMs[i])) order.push(i);
  order.sort((a, b) => (timeMs[a] as number) - (timeMs[b] as number) || a - b);
  let t0 = order.length ? (timeMs[order[0] as number] as number) : 0;
  let t1 = order.length ? (timeMs[order[order.length - 1] as number] as number) : 1;
  if (t1 <= t0) {
    t0 -= 1_800_000;
    t1 += 1_800_000;
  }
  const width = x1 - x0;
  const xOf = (ms: number): number => x0 + ((ms - t0) / (t1 - t0)) * width;
  const columns = Math.max(1, Math.floor(width));
  const grouped = order.length > 2 * columns;
  const buckets: Bucket[] = [];
  if (!grouped) {
    for (const i of order) {
      const t = timeMs[i] as number;
      buckets.push({ x: xOf(t), indices: [i], t0: t, t1: t });
    }
  } else {
    let current: Bucket | undefined;
    let currentCol = -1;
    for (const i of order) {
      const t = timeMs[i] as number;
      const col = Math.min(columns - 1, Math.floor(((t - t0) / (t1 - t0)) * columns));
      if (!current || col !== currentCol) {
        current = { x: x0 + ((col + 0.5) / columns) * width, indices: [], t0: t, t1: t };
        currentCol = col;
        buckets.push(current);
      }
      current.indices.push(i);
      current.t1 = t;
    }
  }
  return { t0, t1, x0, x1, buckets, grouped, xOf };
}

/** Mean of the finite values of a bucket; NaN when there are none (or the column is missing). */
export function bucketMean(values: ArrayLike<number> | undefined, bucket: Bucket): number {
  if (!values) return Number.NaN;
  let sum = 0;
  let n = 0;
  for (const i of bucket.indices) {
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/** Line path; breaks at buckets without finite values. Empty string when nothing to draw. */
export function linePath(grid: TimeGrid, values: ArrayLike<number>, yOf: (v: number) => number): string {
  const parts: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length === 1) parts.push(`M${run[0]}h0`);
    else if (run.length > 1) parts.push(`M${run.join(" ")}`);
    run = [];
  };
  for (const b of grid.buckets) {
    let minP = -1;
    let maxP = -1;
    let minV = 0;
    let maxV = 0;
    b.indices.forEach((i, p) => {
      const v = values[i];
      if (typeof v !== "number" || !Number.isFinite(v)) return;
      if (minP < 0 || v < minV) [minP, minV] = [p, v];
      if (maxP < 0 || v > maxV) [maxP, maxV] = [p, v];
    });
    if (minP < 0) {
      flush();
      continue;
    }
    const x = coord(b.x);
    const [first, second] = minP <= maxP ? [minV, maxV] : [maxV, minV];
    run.push(`${x},${coord(yOf(first))}`);
    if (minP !== maxP) run.push(`${x},${coord(yOf(second))}`);
  }
  flush();
  return parts.join("");
}

export interface StackInput {
  key: string;
  values: ArrayLike<number>;
}

export interface StackLayer {
  key: string;
  /** Polygons of the positive part (stacked up from 0) and negative part (stacked down from 0). */
  path: string;
}

/**
 * Stacked areas of bucket means. Positive parts stack upwards from zero, negative parts downwards (e.g. storage
 * discharge), so a sign change never produces crossing polygons. A bucket where any layer is missing breaks all areas.
 */
export function stackLayers(
  grid: TimeGrid,
  inputs: readonly StackInput[],
  yOf: (v: number) => number,
): StackLayer[] {
  const n = grid.buckets.length;
  const means = inputs.map((s) => grid.buckets.map((b) => bucketMean(s.values, b)));
  const valid = grid.buckets.map((_, k) => means.every((m) => Number.isFinite(m[k])));
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  const raw = inputs.map(() => ({ posLo: new Float64Array(n), posHi: new Float64Array(n), negLo: new Float64Array(n), negHi: new Float64Array(n), hasNeg: false, hasPos: false }));
  inputs.forEach((_, s) => {
    const r = raw[s]!;
    for (let k = 0; k < n; k++) {
      if (!valid[k]) continue;
      const v = means[s]![k] as number;
      r.posLo[k] = pos[k]!;
      r.negLo[k] = neg[k]!;
      if (v > 0) {
        pos[k]! += v;
        r.hasPos = true;
      } else if (v < 0) {
        neg[k]! += v;
        r.hasNeg = true;
      }
      r.posHi[k] = pos[k]!;
      r.negHi[k] = neg[k]!;
    }
  });
  const polygon = (lo: Float64Array, hi: Float64Array): string => {
    const out: string[] = [];
    let k = 0;
    while (k < n) {
      if (!valid[k]) {
        k++;
        continue;
      }
      let end = k;
      while (end + 1 < n && valid[end + 1]) end++;
      const top: string[] = [];
      const bottom: string[] = [];
      for (let j = k; j <= end; j++) {
        const x = coord(grid.buckets[j]!.x);
        top.push(`${x},${coord(yOf(hi[j]!))}`);
        bottom.push(`${x},${coord(yOf(lo[j]!))}`);
      }
      bottom.reverse();
      out.push(`M${top.join(" ")} ${bottom.join(" ")}Z`);
      k = end + 1;
    }
    return out.join("");
  };
  return inputs.map((s, i) => {
    const r = raw[i]!;
    const path = (r.hasPos ? polygon(r.posLo, r.posHi) : "") + (r.hasNeg ? polygon(r.negHi, r.negLo) : "");
    return { key: s.key, path };
  });
}

/** Lowest and highest cumulative stack values (0 included), for the y-domain. */
export function stackExtent(grid: TimeGrid, inputs: readonly StackInput[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const b of grid.buckets) {
    let pos = 0;
    let neg = 0;
    let ok = true;
    for (const s of inputs) {
      const v = bucketMean(s.values, b);
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      if (v > 0) pos += v;
      else neg += v;
    }
    if (!ok) continue;
    if (pos > max) max = pos;
    if (neg < min) min = neg;
  }
  return { min, max };
}

/** Lowest and highest finite value over the grid's points; NaN when there are none. */
export function valueExtent(grid: TimeGrid, values: ArrayLike<number>): { min: number; max: number } {
  let min = Number.NaN;
  let max = Number.NaN;
  for (const b of grid.buckets) {
    for (const i of b.indices) {
      const v = values[i];
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      if (!(v >= min)) min = v;
      if (!(v <= max)) max = v;
    }
  }
  return { min, max };
}

/** Hourly (or any regular) series of interval means → values at each physics step. */

export interface Regular {
  startMs: number;
  stepS: number;
  values: ArrayLike<number>;
}

/**
 * Linear interpolation between interval midpoints (a mean over [t, t+Δ) is placed at t+Δ/2), flat beyond the ends.
 * Used for physical quantities that change smoothly (temperature, irradiance, demand).
 */
export function interpolateAt(src: Regular, startMs: number, stepS: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const srcStepMs = src.stepS * 1000;
  const last = src.values.length - 1;
  for (let i = 0; i < n; i++) {
    // Sample the middle of each physics step, so that step means match the source means.
    const t = startMs + (i + 0.5) * stepS * 1000;
    const x = (t - src.startMs) / srcStepMs - 0.5;
    if (x <= 0) out[i] = src.values[0]!;
    else if (x >= last) out[i] = src.values[last]!;
    else {
      const k = Math.floor(x);
      const f = x - k;
      out[i] = src.values[k]! * (1 - f) + src.values[k + 1]! * f;
    }
  }
  return out;
}

/** Step-hold: each physics step takes the value of the interval it starts in (prices are constant per market period). */
export function holdAt(src: Regular, startMs: number, stepS: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const srcStepMs = src.stepS * 1000;
  const last = src.values.length - 1;
  for (let i = 0; i < n; i++) {
    const k = Math.floor((startMs + i * stepS * 1000 - src.startMs) / srcStepMs);
    out[i] = src.values[Math.min(last, Math.max(0, k))]!;
  }
  return out;
}

/** How far a target period sticks out of a series' coverage, in hours (0 when covered). */
export function uncoveredHours(src: Regular, startMs: number, endMs: number): { beforeH: number; afterH: number } {
  const srcEnd = src.startMs + src.values.length * src.stepS * 1000;
  return { beforeH: Math.max(0, (src.startMs - startMs) / 3.6e6), afterH: Math.max(0, (endMs - srcEnd) / 3.6e6) };
}

/** Concatenates consecutive regular series of the same step (e.g. one per calendar year). */
export function concatRegular(parts: Regular[]): { startMs: number; stepS: number; values: Float64Array } {
  const first = parts[0]!;
  const total = parts.reduce((a, p) => a + p.values.length, 0);
  const values = new Float64Array(total);
  let o = 0;
  for (const p of parts) {
    for (let i = 0; i < p.values.length; i++) values[o++] = p.values[i]!;
  }
  return { startMs: first.startMs, stepS: first.stepS, values };
}

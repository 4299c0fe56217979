import { percentile as kpiPercentile } from "../src/report/kpis.ts";

/** Small statistics for benchmark samples (nearest-rank percentiles). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Nearest-rank percentile, the same definition as the solve-time KPIs. */
export function percentile(xs: number[], p: number): number {
  return kpiPercentile(xs, p) ?? Number.NaN;
}

export function summary(xs: number[], unit: string): string {
  return `median ${median(xs).toFixed(2)} ${unit}, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)} (n=${xs.length})`;
}

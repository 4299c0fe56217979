/** Small statistics for benchmark samples (nearest-rank percentiles). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function summary(xs: number[], unit: string): string {
  return `median ${median(xs).toFixed(2)} ${unit}, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)} (n=${xs.length})`;
}

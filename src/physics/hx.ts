/** Counterflow heat exchanger, ε-NTU method (DESIGN §2). */

export function counterflowEffectiveness(ntu: number, cr: number): number {
  if (ntu <= 0) return 0;
  // Balanced exchanger: the general formula is 0/0, this is its limit.
  if (Math.abs(1 - cr) < 1e-9) return ntu / (1 + ntu);
  const e = Math.exp(-ntu * (1 - cr));
  return (1 - e) / (1 - cr * e);
}

/**
 * Heat transferred from the hot to the cold stream; zero when the hot stream is
 * not hotter (no reverse flow: the valves would close).
 */
export function hxHeatKw(p: {
  uaKwPerK: number;
  hotInC: number;
  coldInC: number;
  hotCapKwPerK: number;
  coldCapKwPerK: number;
}): number {
  const cMin = Math.min(p.hotCapKwPerK, p.coldCapKwPerK);
  const cMax = Math.max(p.hotCapKwPerK, p.coldCapKwPerK);
  if (cMin <= 0 || p.uaKwPerK <= 0) return 0;
  const eps = counterflowEffectiveness(p.uaKwPerK / cMin, cMin / cMax);
  return eps * cMin * Math.max(0, p.hotInC - p.coldInC);
}

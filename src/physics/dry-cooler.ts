/** Dry coolers: the heat dump to outdoor air (DESIGN §2). */

/**
 * The approach is the smallest useful air-to-water difference: below it, the
 * coolers would need unbounded airflow, so the capacity is taken as zero.
 */
export function dryCoolerCapacityKw(p: {
  uaKwPerK: number;
  returnTempC: number;
  outdoorTempC: number;
  approachK: number;
}): number {
  return p.uaKwPerK * Math.max(0, p.returnTempC - p.outdoorTempC - p.approachK);
}

/** Fan power as a fixed fraction of heat rejected (≈ 2 %, assumed in DESIGN §2). */
export function dryCoolerFanKw(heatKw: number, fanFraction = 0.02): number {
  return Math.max(0, heatKw) * fanFraction;
}

/** Shared thermodynamic constants and helpers for the physics models. */

export const KELVIN = 273.15;

/** Water at ~80 °C: the hot loop and tank operate near this, so its density is the relevant one. */
export const WATER_DENSITY_KG_M3 = 971.78;
export const WATER_CP_J_PER_KGK = 4180;

export const SECONDS_PER_HOUR = 3600;
export const J_PER_KWH = 3.6e6;

/**
 * Log-mean of two temperatures in kelvin. Heat pumps exchange heat over a glide,
 * and the log-mean is the equivalent constant temperature for a counterflow exchanger.
 */
export function logMeanTempK(inC: number, outC: number): number {
  const a = inC + KELVIN;
  const b = outC + KELVIN;
  if (a <= 0 || b <= 0) throw new RangeError(`temperature below absolute zero: ${inC}, ${outC} °C`);
  // Below ~1e-9 relative difference the formula is 0/0 numerically; the limit is the temperature itself.
  if (Math.abs(a - b) < 1e-9 * a) return (a + b) / 2;
  return (a - b) / Math.log(a / b);
}

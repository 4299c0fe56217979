/**
 * Moist-air helpers for evaporative cooling: how far outdoor air can be cooled by evaporating water into it is
 * its wet-bulb depression T − T_wb.
 */

/** Standard sea-level pressure (kPa); the shipped sites are below 100 m, where pressure is within 1.2 % of it. */
export const SEA_LEVEL_PRESSURE_KPA = 101.325;

/** Saturation vapour pressure over water (kPa): Magnus form, Alduchov & Eskridge (1996) coefficients. */
export function saturationVapourPressureKpa(tempC: number): number {
  return 0.61094 * Math.exp((17.625 * tempC) / (tempC + 243.04));
}

/** Dew point (°C) of air at tempC and relative humidity rhPct, the inverse of the Magnus form. */
export function dewPointFromRhC(tempC: number, rhPct: number): number {
  if (!(rhPct > 0 && rhPct <= 100)) throw new RangeError(`relative humidity must be in (0, 100] %, got ${rhPct}`);
  const g = Math.log((rhPct / 100) * (saturationVapourPressureKpa(tempC) / 0.61094));
  return (243.04 * g) / (17.625 - g);
}

/**
 * Psychrometric coefficient of a ventilated (Assmann) psychrometer, 6.53·10⁻⁴·(1 + 0.000944·T_wb) K⁻¹
 * (WMO-No. 8, Guide to Instruments and Methods of Observation, Annex 4.B): e = e_s(T_wb) − A·p·(T − T_wb).
 */
function psychrometerCoefficientPerK(wetBulbC: number): number {
  return 6.53e-4 * (1 + 0.000944 * wetBulbC);
}

/**
 * Wet-bulb temperature (°C) of air at tempC with dew point dewPointC, solving the psychrometric equation by
 * bisection (it is monotonic in T_wb, and T_wb lies between the dew point and the dry bulb). A dew point above the
 * dry bulb is read as saturated air (T_wb = T).
 */
export function wetBulbC(p: { tempC: number; dewPointC: number; pressureKpa?: number }): number {
  const t = p.tempC;
  const td = Math.min(p.dewPointC, t);
  const e = saturationVapourPressureKpa(td);
  const pKpa = p.pressureKpa ?? SEA_LEVEL_PRESSURE_KPA;
  let lo = td;
  let hi = t;
  for (let i = 0; i < 60 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    const g = saturationVapourPressureKpa(mid) - psychrometerCoefficientPerK(mid) * pKpa * (t - mid) - e;
    if (g > 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

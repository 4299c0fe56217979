/** Sun position (NOAA/Spencer series) and Haurwitz clear-sky irradiance. */

const DEG = Math.PI / 180;

/**
 * Solar elevation above the horizon (rad). Spencer's Fourier series for declination
 * and equation of time: ≈ 0.1° error, far below what the weather model can use.
 */
export function solarElevationRad(utcMs: number, latDeg: number, lonDeg: number): number {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dayOfYear0 = Math.floor((utcMs - yearStart) / 86_400_000);
  const hourUtc = (utcMs - yearStart - dayOfYear0 * 86_400_000) / 3_600_000;
  const gamma = ((2 * Math.PI) / (leap ? 366 : 365)) * (dayOfYear0 + (hourUtc - 12) / 24);
  const eqTimeMin =
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(gamma) -
      0.032077 * Math.sin(gamma) -
      0.014615 * Math.cos(2 * gamma) -
      0.040849 * Math.sin(2 * gamma));
  const decl = solarDeclinationRad(gamma);
  const trueSolarMin = hourUtc * 60 + eqTimeMin + 4 * lonDeg;
  const hourAngle = (trueSolarMin / 4 - 180) * DEG;
  const lat = latDeg * DEG;
  const sinEl = Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinEl)));
}

/** Declination (rad) from the fractional-year angle gamma (rad). */
export function solarDeclinationRad(gamma: number): number {
  return (
    0.006918 -
    0.399912 * Math.cos(gamma) +
    0.070257 * Math.sin(gamma) -
    0.006758 * Math.cos(2 * gamma) +
    0.000907 * Math.sin(2 * gamma) -
    0.002697 * Math.cos(3 * gamma) +
    0.00148 * Math.sin(3 * gamma)
  );
}

/** Haurwitz clear-sky global horizontal irradiance, W/m². */
export function clearSkyGhiWm2(elevationRad: number): number {
  const s = Math.sin(elevationRad);
  if (s <= 0) return 0;
  return 1098 * s * Math.exp(-0.057 / s);
}

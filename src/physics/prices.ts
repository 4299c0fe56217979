/**
 * Synthetic French day-ahead electricity price year (DESIGN §2), hourly on the UTC
 * calendar year. Shapes (assumed, after EPEX FR 2023–2024): winter premium, weekday
 * morning and evening (19–20 h local) peaks, a midday solar dip that deepens in
 * spring and summer, weekend discount, and weather regimes as daily AR(1) noise.
 * Negative prices come out of the same mechanics: a windy spring/summer weekend
 * midday. The series is rescaled to hit the requested mean exactly; scaling (not
 * shifting) keeps the count of negative hours independent of the mean.
 */
import { parisLocalParts } from "./paris-time.ts";
import { createRng } from "./random.ts";

export interface SyntheticPriceSpec {
  year: number;
  meanEurPerMwh: number;
  seed: number;
}

export interface PriceSeries {
  startMs: number;
  stepS: 3600;
  priceEurPerMwh: Float64Array;
}

const HOUR_MS = 3_600_000;
/** Reference level the shape parameters below are written for (2024 mean ≈ 58 €/MWh). */
const REF_MEAN = 60;
const WINTER_PREMIUM = 0.22;
/** Weekday relative shape by local hour: night trough, 8 h and 19–20 h peaks. */
const WEEKDAY_SHAPE = [
  0.86, 0.8, 0.76, 0.74, 0.74, 0.8, 0.95, 1.12, 1.2, 1.12, 1.04, 1.0,
  0.98, 0.95, 0.94, 0.96, 1.02, 1.12, 1.24, 1.32, 1.28, 1.14, 1.02, 0.94,
];
/** Weekend: flatter, later morning. */
const WEEKEND_SHAPE = [
  0.9, 0.84, 0.8, 0.77, 0.75, 0.75, 0.78, 0.84, 0.92, 0.98, 1.0, 0.98,
  0.95, 0.92, 0.92, 0.95, 1.0, 1.1, 1.2, 1.28, 1.24, 1.12, 1.02, 0.96,
];
const SATURDAY_FACTOR = 0.9;
const SUNDAY_FACTOR = 0.8;
/** Solar dip, €/MWh at REF_MEAN: winter floor + spring/summer depth, deeper at weekends (low demand). */
const SOLAR_DIP_WINTER = 8;
const SOLAR_DIP_SUMMER = 38;
const SOLAR_DIP_WEEKEND_GAIN = 1.35;
const SOLAR_DIP_CENTER_H = 13.5;
const SOLAR_DIP_WIDTH_H = 2.3;
/** Daily regime (wind, temperature) and hourly noise, €/MWh at REF_MEAN. */
const DAILY_PHI = 0.7;
const DAILY_SIGMA = 14;
const HOURLY_PHI = 0.8;
const HOURLY_SIGMA = 7;
/**
 * Negative prices are bounded in practice: renewables under support schemes stop
 * producing and flexible plants curtail, so bids cluster just below zero. Negative
 * raw values are compressed smoothly into (−NEGATIVE_DEPTH, 0); the sign is kept.
 */
const NEGATIVE_DEPTH = 30;

export function syntheticPrices(spec: SyntheticPriceSpec): PriceSeries {
  const startMs = Date.UTC(spec.year, 0, 1);
  const n = Math.round((Date.UTC(spec.year + 1, 0, 1) - startMs) / HOUR_MS);
  const nDays = n / 24;
  const rng = createRng(spec.seed >>> 0);
  const raw = new Float64Array(n);

  let daily = DAILY_SIGMA * rng.normal();
  let hourly = HOURLY_SIGMA * rng.normal();
  const dailyInnovation = DAILY_SIGMA * Math.sqrt(1 - DAILY_PHI ** 2);
  const hourlyInnovation = HOURLY_SIGMA * Math.sqrt(1 - HOURLY_PHI ** 2);
  for (let i = 0; i < n; i++) {
    const t = startMs + i * HOUR_MS;
    if (i > 0 && i % 24 === 0) daily = DAILY_PHI * daily + dailyInnovation * rng.normal();
    hourly = HOURLY_PHI * hourly + hourlyInnovation * rng.normal();

    const local = parisLocalParts(t);
    const yearAngle = (2 * Math.PI * (i / 24)) / nDays;
    const season = 1 + WINTER_PREMIUM * Math.cos(yearAngle - (2 * Math.PI * 15) / 365);
    const weekend = local.dayOfWeek >= 5;
    const shape = (weekend ? WEEKEND_SHAPE : WEEKDAY_SHAPE)[local.hour] ?? 1;
    const dayFactor = local.dayOfWeek === 5 ? SATURDAY_FACTOR : local.dayOfWeek === 6 ? SUNDAY_FACTOR : 1;
    // Solar season peaks in early June (day ≈ 160).
    const solarSeason = 0.5 + 0.5 * Math.cos(yearAngle - (2 * Math.PI * 160) / 365);
    const hourFromNoon = local.hour + local.minute / 60 - SOLAR_DIP_CENTER_H;
    const bell = Math.exp(-0.5 * (hourFromNoon / SOLAR_DIP_WIDTH_H) ** 2);
    const dip =
      (SOLAR_DIP_WINTER + SOLAR_DIP_SUMMER * solarSeason) * bell * (weekend ? SOLAR_DIP_WEEKEND_GAIN : 1);
    const x = REF_MEAN * season * shape * dayFactor - dip + daily + hourly;
    raw[i] = x >= 0 ? x : -NEGATIVE_DEPTH * (1 - Math.exp(x / NEGATIVE_DEPTH));
  }

  const rawMean = raw.reduce((s, x) => s + x, 0) / n;
  // rawMean is ≈ REF_MEAN by construction; a non-positive mean would mean broken constants.
  const scale = spec.meanEurPerMwh / rawMean;
  const priceEurPerMwh = raw.map((x) => x * scale);
  return { startMs, stepS: 3600, priceEurPerMwh };
}

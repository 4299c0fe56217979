/**
 * Synthetic typical weather year (DESIGN §2): hourly outdoor temperature and global
 * horizontal irradiance for a UTC calendar year, from monthly means, a diurnal cycle,
 * AR(1) noise and clear-sky sun × a seeded daily cloud fraction.
 */
import { createRng } from "./random.ts";
import { clearSkyGhiWm2, solarDeclinationRad, solarElevationRad } from "./solar.ts";

export interface SyntheticWeatherSpec {
  year: number;
  monthlyMeansC: number[];
  /** Added to every monthly mean (e.g. +1.5 K for current normals vs the 1991–2020 table). */
  shiftK: number;
  /** 12 values, half peak-to-peak of the diurnal cycle. */
  diurnalAmplitudeK: number[];
  /** Hourly AR(1): phi per hour, sigmaK = stationary standard deviation (not the innovation). */
  noise: { phi: number; sigmaK: number };
  latitudeDeg: number;
  longitudeDeg: number;
  /** 12 mean cloud fractions 0..1. */
  cloudiness: number[];
  seed: number;
}

export interface WeatherSeries {
  startMs: number;
  stepS: 3600;
  tempC: Float64Array;
  ghiWm2: Float64Array;
}

/** Paris half peak-to-peak diurnal ranges (assumed from typical Météo-France Tn/Tx spreads). */
export const PARIS_DIURNAL_AMPLITUDE_K = [2.4, 2.9, 3.6, 4.3, 4.5, 4.7, 4.8, 4.7, 4.3, 3.5, 2.7, 2.3];
/**
 * Effective cloud fractions for Kasten–Czeplak (assumed): tuned so the annual GHI
 * lands near Paris's measured ≈ 1,150–1,200 kWh/m² with Haurwitz clear skies.
 */
export const PARIS_CLOUDINESS = [0.95, 0.9, 0.82, 0.76, 0.76, 0.7, 0.68, 0.68, 0.74, 0.84, 0.94, 0.97];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Local solar hour of the daily maximum: 14 h solar ≈ 15:00 CET in Paris. */
const PEAK_SOLAR_HOUR = 14;
/** Daily cloud AR(1): persistence of weather regimes over a few days. */
const CLOUD_PHI = 0.6;
const CLOUD_SIGMA = 0.3;
/** Clear days have wider diurnal swings, overcast days narrower. */
const CLOUD_AMPLITUDE_GAIN = 0.8;
const CORRECTION_ITERATIONS = 10;

function monthStartsMs(year: number): number[] {
  return Array.from({ length: 13 }, (_, m) => Date.UTC(year, m, 1));
}

/** Month index (0–11) of each hour of a series. */
function monthOfHour(year: number, n: number): Uint8Array {
  const starts = monthStartsMs(year);
  const out = new Uint8Array(n);
  const start = starts[0] ?? 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const t = start + i * HOUR_MS;
    while (m < 11 && t >= (starts[m + 1] ?? Infinity)) m++;
    out[i] = m;
  }
  return out;
}

/** Mean of an hourly series per UTC calendar month. */
export function monthlyMeansOf(startMs: number, v: Float64Array): number[] {
  const year = new Date(startMs).getUTCFullYear();
  const months = monthOfHour(year, v.length);
  const sum = new Array<number>(12).fill(0);
  const count = new Array<number>(12).fill(0);
  for (let i = 0; i < v.length; i++) {
    const m = months[i] ?? 0;
    sum[m] = (sum[m] ?? 0) + (v[i] ?? 0);
    count[m] = (count[m] ?? 0) + 1;
  }
  return sum.map((s, m) => s / (count[m] || 1));
}

/**
 * Periodic Catmull-Rom through 12 mid-month control points: smooth (C1) and linear
 * in the control values, which makes the mean-correction iteration converge fast.
 * Returns, per hour, the 4 control indices and weights.
 */
function splineWeights(year: number, n: number): { idx: Int8Array; w: Float64Array } {
  const starts = monthStartsMs(year);
  const yearMs = (starts[12] ?? 0) - (starts[0] ?? 0);
  const centers = Array.from({ length: 12 }, (_, m) => ((starts[m] ?? 0) + (starts[m + 1] ?? 0)) / 2 - (starts[0] ?? 0));
  const idx = new Int8Array(n * 4);
  const w = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const t = i * HOUR_MS;
    // Segment k spans centers[k] → centers[k+1] (wrapping around the year end).
    let k = 11;
    for (let m = 0; m < 12; m++) if (t >= (centers[m] ?? 0)) k = m;
    const c0 = (centers[k] ?? 0) - (t < (centers[0] ?? 0) ? yearMs : 0);
    const c1 = k === 11 ? (centers[0] ?? 0) + yearMs - (t < (centers[0] ?? 0) ? yearMs : 0) : (centers[k + 1] ?? 0);
    const u = (t - c0) / (c1 - c0);
    const u2 = u * u;
    const u3 = u2 * u;
    const weights = [
      0.5 * (-u3 + 2 * u2 - u),
      0.5 * (3 * u3 - 5 * u2 + 2),
      0.5 * (-3 * u3 + 4 * u2 + u),
      0.5 * (u3 - u2),
    ];
    for (let j = 0; j < 4; j++) {
      idx[i * 4 + j] = (k - 1 + j + 12) % 12;
      w[i * 4 + j] = weights[j] ?? 0;
    }
  }
  return { idx, w };
}

function evalSpline(sw: { idx: Int8Array; w: Float64Array }, i: number, ctrl: number[]): number {
  let s = 0;
  for (let j = 0; j < 4; j++) s += (sw.w[i * 4 + j] ?? 0) * (ctrl[sw.idx[i * 4 + j] ?? 0] ?? 0);
  return s;
}

/** Diurnal shape in [−1, 1]: −1 at sunrise, +1 at PEAK_SOLAR_HOUR, cosine halves between. */
function diurnalShape(solarHour: number, sunriseHour: number): number {
  const rise = Math.min(sunriseHour, PEAK_SOLAR_HOUR - 1);
  let s = solarHour;
  if (s < rise) s += 24;
  if (s <= PEAK_SOLAR_HOUR) return -Math.cos((Math.PI * (s - rise)) / (PEAK_SOLAR_HOUR - rise));
  return Math.cos((Math.PI * (s - PEAK_SOLAR_HOUR)) / (rise + 24 - PEAK_SOLAR_HOUR));
}

function check12(name: string, a: number[]): void {
  if (a.length !== 12) throw new RangeError(`${name} needs 12 values, got ${a.length}`);
}

export function syntheticWeather(spec: SyntheticWeatherSpec): WeatherSeries {
  check12("monthlyMeansC", spec.monthlyMeansC);
  check12("diurnalAmplitudeK", spec.diurnalAmplitudeK);
  check12("cloudiness", spec.cloudiness);
  const startMs = Date.UTC(spec.year, 0, 1);
  const n = Math.round((Date.UTC(spec.year + 1, 0, 1) - startMs) / HOUR_MS);
  const nDays = n / 24;
  const months = monthOfHour(spec.year, n);
  const sw = splineWeights(spec.year, n);
  const lat = (spec.latitudeDeg * Math.PI) / 180;

  // Daily cloud fraction: AR(1) anomaly around the month's mean, on its own stream.
  const cloudRng = createRng((spec.seed ^ 0x9e3779b9) >>> 0);
  const cloudDay = new Float64Array(nDays);
  let anomaly = CLOUD_SIGMA * cloudRng.normal();
  for (let d = 0; d < nDays; d++) {
    const mean = spec.cloudiness[months[d * 24] ?? 0] ?? 0;
    cloudDay[d] = Math.min(1, Math.max(0, mean + anomaly));
    anomaly = CLOUD_PHI * anomaly + CLOUD_SIGMA * Math.sqrt(1 - CLOUD_PHI ** 2) * cloudRng.normal();
  }

  // Everything except the seasonal curve is fixed first; only the seasonal control
  // points are then corrected, so the hourly monthly means hit their targets.
  const rng = createRng(spec.seed >>> 0);
  const { phi, sigmaK } = spec.noise;
  const innovation = sigmaK * Math.sqrt(Math.max(0, 1 - phi * phi));
  const fixedPart = new Float64Array(n);
  const ghiWm2 = new Float64Array(n);
  let noise = sigmaK * rng.normal();
  for (let i = 0; i < n; i++) {
    const t = startMs + i * HOUR_MS;
    const d = Math.floor(i / 24);
    const cloud = cloudDay[d] ?? 0;
    const monthCloud = spec.cloudiness[months[i] ?? 0] ?? 0;
    const yearFrac = (2 * Math.PI * (d + 0.5)) / nDays;
    const ws = Math.acos(Math.max(-1, Math.min(1, -Math.tan(lat) * Math.tan(solarDeclinationRad(yearFrac)))));
    const sunriseHour = 12 - (ws * 12) / Math.PI;
    const solarHour = ((((t - startMs) % DAY_MS) / HOUR_MS + spec.longitudeDeg / 15) % 24 + 24) % 24;
    const amplitude =
      Math.max(0, evalSpline(sw, i, spec.diurnalAmplitudeK)) *
      Math.max(0.2, 1 + CLOUD_AMPLITUDE_GAIN * (monthCloud - cloud));
    fixedPart[i] = amplitude * diurnalShape(solarHour, sunriseHour) + noise;
    noise = phi * noise + innovation * rng.normal();

    const clear = clearSkyGhiWm2(solarElevationRad(t, spec.latitudeDeg, spec.longitudeDeg));
    // Kasten–Czeplak cloud attenuation.
    ghiWm2[i] = clear * (1 - 0.75 * cloud ** 3.4);
  }

  const targets = spec.monthlyMeansC.map((m) => m + spec.shiftK);
  const ctrl = [...targets];
  const tempC = new Float64Array(n);
  for (let iter = 0; iter <= CORRECTION_ITERATIONS; iter++) {
    for (let i = 0; i < n; i++) tempC[i] = evalSpline(sw, i, ctrl) + (fixedPart[i] ?? 0);
    if (iter === CORRECTION_ITERATIONS) break;
    const actual = monthlyMeansOf(startMs, tempC);
    for (let m = 0; m < 12; m++) ctrl[m] = (ctrl[m] ?? 0) + (targets[m] ?? 0) - (actual[m] ?? 0);
  }
  return { startMs, stepS: 3600, tempC, ghiWm2 };
}

/** Paris default spec (monthly means from demand.ts's table are passed by the caller). */
export function parisWeatherSpec(p: { year: number; monthlyMeansC: number[]; shiftK: number; seed: number }): SyntheticWeatherSpec {
  return {
    ...p,
    diurnalAmplitudeK: PARIS_DIURNAL_AMPLITUDE_K,
    noise: { phi: 0.97, sigmaK: 2.5 },
    latitudeDeg: 48.86,
    longitudeDeg: 2.35,
    cloudiness: PARIS_CLOUDINESS,
  };
}

/**
 * Hourly means as the learned forecasters read them from the history (DESIGN §4 "Forecasts"). Pure: the
 * series comes in as data, the clock as `nowMs`. Every hour is a UTC hour; Paris local time is derived per hour
 * (src/physics/paris-time.ts), so a DST change never shifts the index, only the hour-of-week an hour belongs to.
 */
import { HOUR_MS, parisLocalParts } from "../../physics/paris-time.ts";

/** Hourly means from the history: values[i] is the mean over [startMs + i h, startMs + (i+1) h), NaN where missing. startMs is on a UTC hour. */
export interface HourlySeries {
  startMs: number;
  values: Float64Array;
}

export { HOUR_MS };

/** Throws when the series breaks its contract: an index off the UTC hour grid would silently mislabel every hour. */
export function checkHourly(s: HourlySeries, label: string): void {
  if (!Number.isFinite(s.startMs) || s.startMs % HOUR_MS !== 0) {
    throw new RangeError(`${label}: startMs must be on a UTC hour, got ${s.startMs}`);
  }
}

/** Paris local hour-of-week (0 = Monday 00h … 167 = Sunday 23h) of the UTC hour starting at hourStartMs. */
export function parisHourOfWeek(hourStartMs: number): number {
  // Paris is a whole number of hours from UTC, so the local hour is constant over a UTC hour: its start names it.
  return parisLocalParts(hourStartMs).hourOfWeek;
}

/** Start (UTC ms) of the hour containing tMs. */
export function hourFloorMs(tMs: number): number {
  return Math.floor(tMs / HOUR_MS) * HOUR_MS;
}

/** The value of the hour starting at hourStartMs, NaN outside the series or where missing. */
export function valueAtHour(s: HourlySeries, hourStartMs: number): number {
  const i = (hourStartMs - s.startMs) / HOUR_MS;
  return Number.isInteger(i) && i >= 0 && i < s.values.length ? s.values[i]! : Number.NaN;
}

/**
 * The hours a fit may use at nowMs: complete hours (ending at or before now, so the forecaster never sees the
 * future even if the caller passes it) in the last `windowDays` (old history describes a plant that may have
 * changed: tenants move, the network grows). Returns [fromMs, toMs) on the UTC hour grid.
 */
export function fitWindowMs(nowMs: number, windowDays: number): { fromMs: number; toMs: number } {
  const toMs = hourFloorMs(nowMs); // exclusive: the hour in progress is not complete
  return { fromMs: toMs - windowDays * 24 * HOUR_MS, toMs };
}

/**
 * Hourly means of a regular series (e.g. the simulator's 1-min truth). NaN samples are skipped; an hour with
 * none left is NaN; a trailing incomplete hour is dropped. startMs must be on a UTC hour and stepS divide 3600.
 */
export function hourlyMeansOf(startMs: number, stepS: number, values: ArrayLike<number>): HourlySeries {
  if (startMs % HOUR_MS !== 0) throw new RangeError(`startMs must be on a UTC hour, got ${startMs}`);
  if (!(stepS > 0) || 3600 % stepS !== 0) throw new RangeError(`stepS must divide 3600, got ${stepS}`);
  const per = 3600 / stepS;
  const n = Math.floor(values.length / per);
  const out = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    let sum = 0;
    let count = 0;
    for (let k = h * per; k < (h + 1) * per; k++) {
      const v = values[k]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    out[h] = count > 0 ? sum / count : Number.NaN;
  }
  return { startMs, values: out };
}

/**
 * Mean over [fromMs, toMs) of a piecewise-constant hourly value, skipping missing hours; NaN when less than
 * `minCoverage` of the interval has a value (a step mean made of one hour in three says little about the step).
 */
export function meanOverMs(s: HourlySeries, fromMs: number, toMs: number, minCoverage = 1): number {
  let sum = 0;
  let coveredMs = 0;
  for (let h = hourFloorMs(fromMs); h < toMs; h += HOUR_MS) {
    const a = Math.max(fromMs, h);
    const b = Math.min(toMs, h + HOUR_MS);
    const v = valueAtHour(s, h);
    if (b > a && Number.isFinite(v)) {
      sum += v * (b - a);
      coveredMs += b - a;
    }
  }
  return coveredMs > 0 && coveredMs >= minCoverage * (toMs - fromMs) - 1e-6 ? sum / coveredMs : Number.NaN;
}

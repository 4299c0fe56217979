/**
 * Europe/Paris local time without Intl or tz data, so results are pure and identical on every
 * machine (no dependence on the host's ICU data or TZ variable). This module is the single owner
 * of the EU summer-time rule (Directive 2000/84/EC, in force since 1996): CEST = UTC+2 from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, CET = UTC+1 otherwise.
 * The importers (src/data) and the report (src/report) build on it; it imports nothing from them.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** UTC instant of 01:00 UTC on the last Sunday of a month (0-based month). */
export function lastSundayUtcMs(year: number, month0: number): number {
  const lastDayMs = Date.UTC(year, month0 + 1, 0);
  const dow = new Date(lastDayMs).getUTCDay(); // 0 = Sunday
  return lastDayMs - dow * DAY_MS + HOUR_MS;
}

// A 35k-row import or a year-long simulation asks for the same few years over and over.
const summerTimeCache = new Map<number, readonly [number, number]>();

/** [start, end) of summer time (CEST) in UTC ms for `year`. */
export function summerTimeUtcMs(year: number): readonly [number, number] {
  let r = summerTimeCache.get(year);
  if (!r) {
    r = [lastSundayUtcMs(year, 2), lastSundayUtcMs(year, 9)] as const;
    summerTimeCache.set(year, r);
  }
  return r;
}

/** Offset of Paris local time from UTC in minutes at a UTC instant: 60 (CET) or 120 (CEST); 60 for a non-finite instant. */
export function parisUtcOffsetMinutes(utcMs: number): number {
  if (!Number.isFinite(utcMs)) return 60;
  // Summer time never touches the turn of the year, so the UTC year is the local year here.
  const [start, end] = summerTimeUtcMs(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? 120 : 60;
}

export interface ParisLocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  dayOfWeek: number;
  /** 0 = Monday 00h … 167 = Sunday 23h. */
  hourOfWeek: number;
}

export function parisLocalParts(utcMs: number): ParisLocalParts {
  const d = new Date(utcMs + parisUtcOffsetMinutes(utcMs) * 60_000);
  const dayOfWeek = (d.getUTCDay() + 6) % 7;
  const hour = d.getUTCHours();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute: d.getUTCMinutes(),
    dayOfWeek,
    hourOfWeek: dayOfWeek * 24 + hour,
  };
}

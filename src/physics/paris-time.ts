/**
 * Europe/Paris local time without Intl or tz data, so the physics stays pure and
 * identical on every machine. EU rule since 1996: CEST from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** UTC instant of 01:00 UTC on the last Sunday of a month (0-based month). */
function lastSundayOneUtcMs(year: number, month0: number): number {
  const lastDayMs = Date.UTC(year, month0 + 1, 0);
  const dow = new Date(lastDayMs).getUTCDay(); // 0 = Sunday
  return lastDayMs - dow * DAY_MS + HOUR_MS;
}

export function parisUtcOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const start = lastSundayOneUtcMs(year, 2);
  const end = lastSundayOneUtcMs(year, 9);
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

/**
 * Paris (CET/CEST) local time <-> UTC, as a pure function of the EU summer-time rule
 * (Directive 2000/84/EC): CEST = UTC+2 from the last Sunday of March 01:00 UTC to the last
 * Sunday of October 01:00 UTC, CET = UTC+1 otherwise. No Intl / tz database: results must
 * not depend on the host's ICU data or TZ variable, and this is ~10× faster per row.
 */

const HOUR_MS = 3_600_000;

/** Day of month (1..31) of the last Sunday of `month` (1..12) in `year`. */
function lastSunday(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0)); // day 0 of next month = last day of this one
  return lastDay.getUTCDate() - lastDay.getUTCDay();
}

// A 35k-row import asks for the same few years over and over.
const dstCache = new Map<number, readonly [number, number]>();

/** [start, end) of summer time in UTC ms for `year`. */
export function summerTimeUtcMs(year: number): readonly [number, number] {
  let r = dstCache.get(year);
  if (!r) {
    r = [Date.UTC(year, 2, lastSunday(year, 3), 1), Date.UTC(year, 9, lastSunday(year, 10), 1)] as const;
    dstCache.set(year, r);
  }
  return r;
}

/** True when the UTC instant falls in CEST. */
export function isCestAtUtc(utcMs: number): boolean {
  // Summer time never touches the turn of the year, so the UTC year is the local year here.
  const [start, end] = summerTimeUtcMs(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end;
}

/**
 * UTC ms of a Paris wall-clock time. Fields are normalised like Date.UTC (hour 24 = next day 00).
 * Returns null for a wall-clock time that does not exist (02:00–02:59 on the spring day).
 * For the autumn repeat (02:00–02:59 twice), `occurrence` picks 'first' (CEST, earlier instant)
 * or 'second' (CET, one hour later).
 */
export function cetLocalToUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  occurrence: "first" | "second" = "first",
): number | null {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const asCest = naive - 2 * HOUR_MS;
  const asCet = naive - HOUR_MS;
  const cestOk = isCestAtUtc(asCest);
  const cetOk = !isCestAtUtc(asCet);
  if (cestOk && cetOk) return occurrence === "first" ? asCest : asCet;
  if (cestOk) return asCest;
  if (cetOk) return asCet;
  return null;
}

export interface CetParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 for CET, 2 for CEST */
  offsetHours: 1 | 2;
}

/** Paris wall-clock fields of a UTC instant. */
export function utcToCetParts(utcMs: number): CetParts {
  const offsetHours = isCestAtUtc(utcMs) ? 2 : 1;
  const d = new Date(utcMs + offsetHours * HOUR_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    offsetHours,
  };
}

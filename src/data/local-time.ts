/**
 * Paris (CET/CEST) wall-clock time → UTC, for importers whose files label rows in local time.
 * The EU summer-time rule itself lives in src/physics/paris-time.ts; this module only adds the
 * inverse direction (a wall-clock reading can be missing or repeated) and the CET/CEST view.
 */
import { HOUR_MS, parisLocalParts, parisUtcOffsetMinutes } from "../physics/paris-time.ts";

const isCest = (utcMs: number): boolean => parisUtcOffsetMinutes(utcMs) === 120;

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
  const cestOk = isCest(asCest);
  const cetOk = !isCest(asCet);
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

/** Paris wall-clock fields of a UTC instant, with the CET/CEST offset that applies. */
export function utcToCetParts(utcMs: number): CetParts {
  const { year, month, day, hour, minute } = parisLocalParts(utcMs);
  return { year, month, day, hour, minute, offsetHours: isCest(utcMs) ? 2 : 1 };
}

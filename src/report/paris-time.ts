/**
 * Paris local time for the report: calendar parts in the shape the charts and ticks want, and
 * the text formatters. The CET/CEST rule itself is src/physics/paris-time.ts's.
 */
import { DAY_MS, parisUtcOffsetMinutes } from "../physics/paris-time.ts";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

export interface LocalParts {
  year: number;
  /** 0-based. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday. */
  weekday: number;
  offsetMinutes: number;
  /** Whole local days since 1970-01-01 (local). */
  dayIndex: number;
}

export function parisParts(utcMs: number): LocalParts {
  const offsetMinutes = parisUtcOffsetMinutes(utcMs);
  const localMs = utcMs + offsetMinutes * 60_000;
  const d = new Date(localMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
    offsetMinutes,
    dayIndex: Math.floor(localMs / DAY_MS),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

export function zoneName(offsetMinutes: number): string {
  return offsetMinutes === 120 ? "CEST" : "CET";
}

export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday] ?? "";
}

export function monthName(month: number): string {
  return MONTHS[month] ?? "";
}

/** "14:00" in Paris time. */
export function formatParisTime(utcMs: number): string {
  const p = parisParts(utcMs);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "Mon 06 Jan" in Paris time. */
export function formatParisDay(utcMs: number): string {
  const p = parisParts(utcMs);
  return `${weekdayName(p.weekday)} ${pad2(p.day)} ${monthName(p.month)}`;
}

/** "Mon 06 Jan 2025 14:00 CET"; "—" for an invalid instant. */
export function formatParisDateTime(utcMs: number, withZone = true): string {
  if (!Number.isFinite(utcMs)) return "—";
  const p = parisParts(utcMs);
  const base = `${weekdayName(p.weekday)} ${pad2(p.day)} ${monthName(p.month)} ${p.year} ${pad2(p.hour)}:${pad2(p.minute)}`;
  return withZone ? `${base} ${zoneName(p.offsetMinutes)}` : base;
}

/** "2025-01-06 13:00 UTC"; "—" for an invalid instant. */
export function formatUtcDateTime(utcMs: number): string {
  if (!Number.isFinite(utcMs)) return "—";
  const d = new Date(utcMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

/** Parse an ISO-8601 instant; NaN when unparsable. Strings without a zone are read as UTC. */
export function parseIsoMs(iso: string): number {
  if (typeof iso !== "string" || iso.trim() === "") return Number.NaN;
  const s = iso.trim();
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) || !s.includes("T");
  const ms = Date.parse(hasZone ? s : `${s}Z`);
  return Number.isFinite(ms) ? ms : Number.NaN;
}


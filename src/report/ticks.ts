/** Axis tick selection: "nice" numeric steps (1, 2, 2.5, 5 × 10^k) and calendar-aligned Europe/Paris time ticks. */

import { decimalsForStep } from "./format.ts";
import { HOUR_MS } from "../physics/paris-time.ts";
import { formatParisDay, formatParisTime, monthName, parisParts, type LocalParts } from "./paris-time.ts";

export interface NiceScale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
  /** Decimals needed to print the ticks. */
  decimals: number;
}

const NICE_MULTIPLIERS = [1, 2, 2.5, 5] as const;
const EPS = 1e-9;

/** The smallest nice step ≥ `raw` (1, 2, 2.5, 5 × 10^k); 1 for non-positive or non-finite input. */
export function niceStep(raw: number): number {
  if (!Number.isFinite(raw) || raw <= 0) return 1;
  const exp = Math.floor(Math.log10(raw));
  for (let e = exp; e <= exp + 1; e++) {
    for (const m of NICE_MULTIPLIERS) {
      const step = m * 10 ** e;
      if (step >= raw * (1 - EPS)) return step;
    }
  }
  return 10 ** (exp + 1);
}

function tickCount(lo: number, hi: number, step: number): number {
  return Math.ceil(hi / step - EPS) - Math.floor(lo / step + EPS) + 1;
}

/**
 * A domain covering [lo, hi] extended to whole multiples of the smallest nice step that needs at most `maxTicks`
 * ticks. Degenerate input is widened (equal bounds ±10 %, or [0, 1]); never throws.
 */
export function niceTicks(lo: number, hi: number, maxTicks = 6): NiceScale {
  let a = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
  let b = Number.isFinite(hi) ? hi : a;
  if (a > b) [a, b] = [b, a];
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1;
    a -= a === 0 ? 0 : pad;
    b += pad;
  }
  const limit = Math.max(2, Math.floor(maxTicks));
  let step = niceStep((b - a) / limit);
  // Walk down to the smallest nice step that still fits, then up until it fits.
  for (let i = 0; i < 4; i++) {
    const smaller = niceStep(step * 0.5);
    if (smaller < step && tickCount(a, b, smaller) <= limit) step = smaller;
    else break;
  }
  while (tickCount(a, b, step) > limit) step = niceStep(step * (1 + 1e-6));
  const decimals = decimalsForStep(step);
  const first = Math.floor(a / step + EPS);
  const last = Math.ceil(b / step - EPS);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) {
    const v = Number((i * step).toFixed(Math.min(20, decimals)));
    ticks.push(v === 0 ? 0 : v);
  }
  return { min: ticks[0] ?? a, max: ticks[ticks.length - 1] ?? b, step, ticks, decimals };
}

export interface TimeTick {
  ms: number;
  /** First label line (time of day, day or month). */
  label: string;
  /** Optional second line (the date under midnight ticks of sub-day axes, the year under January). */
  sub?: string;
  /** A day/month boundary: drawn with a stronger grid line. */
  major: boolean;
}

interface TimeUnit {
  kind: "hour" | "day" | "week" | "month";
  n: number;
}

const TIME_UNITS: TimeUnit[] = [
  { kind: "hour", n: 1 },
  { kind: "hour", n: 2 },
  { kind: "hour", n: 3 },
  { kind: "hour", n: 6 },
  { kind: "hour", n: 12 },
  { kind: "day", n: 1 },
  { kind: "day", n: 2 },
  { kind: "week", n: 1 },
  { kind: "week", n: 2 },
  { kind: "month", n: 1 },
  { kind: "month", n: 2 },
  { kind: "month", n: 3 },
  { kind: "month", n: 6 },
  { kind: "month", n: 12 },
];

function matches(unit: TimeUnit, p: LocalParts): boolean {
  if (p.minute !== 0) return false;
  switch (unit.kind) {
    case "hour":
      return p.hour % unit.n === 0;
    case "day":
      return p.hour === 0 && p.dayIndex % unit.n === 0;
    case "week":
      // Mondays; dayIndex 4 was Monday 1970-01-05.
      return p.hour === 0 && p.weekday === 1 && Math.floor((p.dayIndex - 4) / 7) % unit.n === 0;
    case "month":
      return p.hour === 0 && p.day === 1 && p.month % unit.n === 0;
  }
}

function labelFor(unit: TimeUnit, ms: number, p: LocalParts, isFirst: boolean): TimeTick {
  if (unit.kind === "hour") {
    const midnight = p.hour === 0;
    return { ms, label: formatParisTime(ms), sub: midnight || isFirst ? formatParisDay(ms) : undefined, major: midnight };
  }
  if (unit.kind === "month") {
    return { ms, label: monthName(p.month), sub: p.month === 0 || isFirst ? String(p.year) : undefined, major: true };
  }
  return { ms, label: formatParisDay(ms), major: true };
}

/** Calendar-aligned ticks in Paris local time covering [t0, t1], at most `maxTicks` of them. */
export function timeTicks(t0: number, t1: number, maxTicks = 9): TimeTick[] {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) return [];
  const spanHours = (t1 - t0) / HOUR_MS;
  // Candidate instants: every whole UTC hour (Paris offsets are whole hours), or every day for very long spans.
  const stride = spanHours > 60_000 ? 24 * HOUR_MS : HOUR_MS;
  const start = Math.ceil(t0 / HOUR_MS) * HOUR_MS;
  const candidates: { ms: number; p: LocalParts }[] = [];
  for (let ms = start; ms <= t1 && candidates.length < 200_000; ms += stride) {
    const p = parisParts(ms);
    if (p.minute === 0) candidates.push({ ms, p });
  }
  for (const unit of TIME_UNITS) {
    if (stride > HOUR_MS && unit.kind === "hour") continue;
    const hits = candidates.filter((c) => matches(unit, c.p));
    if (hits.length <= maxTicks) {
      if (hits.length > 0) return hits.map((c, i) => labelFor(unit, c.ms, c.p, i === 0));
      break;
    }
  }
  // Shorter than the finest unit, or longer than the coarsest: label both ends.
  return [t0, t1].filter((ms, i, all) => i === 0 || ms !== all[0]).map((ms) => ({
    ms,
    label: formatParisTime(ms),
    sub: formatParisDay(ms),
    major: false,
  }));
}

/** Number formatting for the report: SI-style grouping (narrow no-break space), "." decimal, "−" minus, "—" for missing. */

/** Narrow no-break space, the SI thousands separator: unambiguous for French and English readers. */
export const GROUP_SEPARATOR = "\u202f";
/** Shown wherever a value is null, undefined or not finite. */
export const MISSING = "—";

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Format with a fixed number of decimals and thousands separators; non-finite ⇒ "—". */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (!isFiniteNumber(value)) return MISSING;
  const d = Math.max(0, Math.min(20, Math.floor(decimals)));
  const fixed = Math.abs(value).toFixed(d);
  const dot = fixed.indexOf(".");
  const intPart = dot < 0 ? fixed : fixed.slice(0, dot);
  const fracPart = dot < 0 ? "" : fixed.slice(dot);
  const grouped = /^\d+$/.test(intPart) ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP_SEPARATOR) : intPart;
  const isNegative = value < 0 && /[1-9]/.test(fixed);
  return (isNegative ? "\u2212" : "") + grouped + fracPart;
}

/** Decimals that suit a value's magnitude: 1234 → 0, 12.3 → 1, 3.45 → 2, 0.123 → 3; integers → 0. */
export function autoDecimals(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return 0;
  const a = Math.abs(value);
  if (a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** Format with magnitude-dependent decimals. */
export function formatAuto(value: number | null | undefined): string {
  return isFiniteNumber(value) ? formatNumber(value, autoDecimals(value)) : MISSING;
}

/** "1 234 kW" (no-break space before the unit); just "—" when missing. */
export function formatQuantity(value: number | null | undefined, unit: string, decimals?: number): string {
  if (!isFiniteNumber(value)) return MISSING;
  const text = decimals === undefined ? formatAuto(value) : formatNumber(value, decimals);
  return unit ? `${text}\u00a0${unit}` : text;
}

/** Decimals needed to print multiples of a tick step exactly (0.25 → 2, 5 → 0). */
export function decimalsForStep(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let d = 0; d <= 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** Share as a percentage, "12.3 %". */
export function formatPercent(part: number, total: number): string {
  if (!isFiniteNumber(part) || !isFiniteNumber(total) || total === 0) return MISSING;
  return `${formatNumber((part / total) * 100, 1)}\u00a0%`;
}

/** A coordinate for SVG: rounded to 1 decimal, never "NaN" (non-finite ⇒ 0), no "-0". */
export function coord(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const r = Math.round(value * 10) / 10;
  return r === 0 ? "0" : String(r);
}

/** Duration in minutes as "3 d 4 h", "5 h 30 min", "45 min". */
export function formatMinutes(minutes: number): string {
  if (!isFiniteNumber(minutes)) return MISSING;
  const total = Math.round(Math.abs(minutes));
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts: string[] = [];
  if (d) parts.push(`${formatNumber(d)}\u00a0d`);
  if (h) parts.push(`${h}\u00a0h`);
  if (m || parts.length === 0) parts.push(`${m}\u00a0min`);
  return (minutes < 0 && total > 0 ? "\u2212" : "") + parts.slice(0, 2).join(" ");
}

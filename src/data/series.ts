/**
 * Shared types and small text helpers for the importers in src/data/.
 * Parsers are pure functions of the file text; only `readTextFile` touches the disk,
 * so every parser can be tested on small inline strings.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../config/errors.ts";

/** A flaw the importer handled but must report (never silently absorbed). */
export interface ImportIssue {
  file: string;
  line: number | null;
  kind: string;
  message: string;
}

/** A regular UTC series: values[i] is the mean over [startMs + i·stepS·1000, +stepS). */
export interface RegularSeries {
  startMs: number;
  stepS: number;
  values: Float64Array;
  unit: string;
}

/** Reads a whole file as UTF-8; a missing/unreadable file becomes an InputError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? "unreadable";
    throw new InputError(path, "", "an existing readable file", code);
  }
}

/** Splits text into lines, dropping a UTF-8 BOM and accepting \r\n (Excel and ENTSO-E exports). */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  // A trailing newline yields one empty last element; it is not a data row.
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines;
}

/**
 * Splits one CSV line on `sep`, honouring double quotes ("a,b" and "" escapes).
 * The fast path (no quote) is a plain split: most rows of a 35k-row file take it.
 */
export function splitCsvLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Strict decimal parse: `Number()` alone would accept "", " ", "0x1f" and "Infinity".
 * Returns NaN for anything that is not a plain decimal number.
 */
export function parseStrictNumber(s: string): number {
  const t = s.trim();
  return NUMBER_RE.test(t) ? Number(t) : NaN;
}

/** Cells that mean "no value" in the exports we know (ENTSO-E uses "-" and "n/e"). */
export function isEmptyCell(s: string): boolean {
  const t = s.trim().toLowerCase();
  return t === "" || t === "-" || t === "n/e" || t === "n/a" || t === "nan";
}

/** A run of consecutive NaN slots, [from, to) in slot indices. */
export interface GapRun {
  from: number;
  to: number;
}

/**
 * Fills NaN slots in place by linear interpolation between the nearest valid neighbours;
 * runs touching an end hold the nearest valid value (nothing to interpolate towards).
 * Linear interpolation is chosen over "previous value" because it keeps the mean of a
 * smooth quantity (temperature, price level) unbiased across the gap.
 * Returns the runs filled, so the caller can report each one. Throws if nothing is valid.
 */
export function fillGapsLinear(values: Float64Array): GapRun[] {
  const runs: GapRun[] = [];
  const n = values.length;
  let i = 0;
  while (i < n) {
    if (!Number.isNaN(values[i]!)) {
      i++;
      continue;
    }
    const from = i;
    while (i < n && Number.isNaN(values[i]!)) i++;
    runs.push({ from, to: i });
  }
  if (runs.length === 1 && runs[0]!.from === 0 && runs[0]!.to === n && n > 0) {
    throw new RangeError("fillGapsLinear: no valid value at all");
  }
  for (const { from, to } of runs) {
    const left = from > 0 ? values[from - 1]! : NaN;
    const right = to < n ? values[to]! : NaN;
    for (let k = from; k < to; k++) {
      if (Number.isNaN(left)) values[k] = right;
      else if (Number.isNaN(right)) values[k] = left;
      else values[k] = left + ((right - left) * (k - from + 1)) / (to - from + 1);
    }
  }
  return runs;
}

/** ISO 8601 UTC text for messages, minute precision ("2023-03-26T01:00Z"). */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

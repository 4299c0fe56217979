/**
 * Shared types and small text helpers for the importers in src/data/.
 * Parsers are pure functions of the file text; only `fileLoader` touches the disk (through the
 * config loader's `readTextFile`), so every parser can be tested on small inline strings.
 */
import { InputError } from "../config/errors.ts";
import { readTextFile } from "../config/load.ts";

/** A flaw the importer handled but must report (never silently absorbed). */
export interface ImportIssue {
  file: string;
  line: number | null;
  kind: string;
  message: string;
  /** UTC time the flaw concerns, where the file's times are real ones (not a typical year or a shape). */
  timeMs?: number;
}

/** A regular UTC series: values[i] is the mean over [startMs + i·stepS·1000, +stepS). */
export interface RegularSeries {
  startMs: number;
  stepS: number;
  values: Float64Array;
  unit: string;
}

/** Records one issue of the file being imported. */
export type IssueSink = (line: number | null, kind: string, message: string, timeMs?: number) => void;

/** The issue list of one file and the function that appends to it. */
export function issueLog(file: string): { issues: ImportIssue[]; issue: IssueSink } {
  const issues: ImportIssue[] = [];
  return { issues, issue: (line, kind, message, timeMs) => void issues.push({ file, line, kind, message, ...(timeMs !== undefined ? { timeMs } : {}) }) };
}

/**
 * Turns a parser of file text into a loader of a file path: `load(path, …rest)` reads the file
 * (a missing/unreadable file is an InputError naming it) and parses it with `path` as the name.
 */
export function fileLoader<A extends unknown[], R>(parse: (text: string, file: string, ...rest: A) => R): (path: string, ...rest: A) => R {
  return (path, ...rest) => parse(readTextFile(path), path, ...rest);
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

/**
 * One value cell of a data row: NaN for an empty cell (after `onEmpty` has reported it, to be
 * filled later), the number otherwise. Anything else is an InputError naming line and column.
 */
export function parseValueCell(raw: string, file: string, lineNo: number, column: string, onEmpty: () => void): number {
  if (isEmptyCell(raw)) {
    onEmpty();
    return NaN;
  }
  const v = parseStrictNumber(raw);
  if (Number.isNaN(v)) throw new InputError(file, `line ${lineNo} column '${column}'`, "a number", `got '${raw}'`);
  return v;
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

/** The runs of slots no row covers (`lineOf[k] === 0`), [from, to) in slot indices. */
export function uncoveredRuns(lineOf: Int32Array): GapRun[] {
  const runs: GapRun[] = [];
  const n = lineOf.length;
  for (let k = 0; k < n; ) {
    if (lineOf[k] !== 0) {
      k++;
      continue;
    }
    const from = k;
    while (k < n && lineOf[k] === 0) k++;
    runs.push({ from, to: k });
  }
  return runs;
}

/**
 * Reports each run of uncovered slots of a regular grid as a "gap" issue (on the line of the row
 * right after the gap, if any); the caller fills them by linear interpolation.
 */
export function reportGaps(lineOf: Int32Array, startMs: number, stepMs: number, issue: IssueSink): void {
  for (const { from, to } of uncoveredRuns(lineOf)) {
    issue(
      lineOf[to] ?? null,
      "gap",
      `no row for ${isoMinute(startMs + from * stepMs)} – ${isoMinute(startMs + to * stepMs)} (${to - from} step(s)); filled by linear interpolation`,
      startMs + from * stepMs,
    );
  }
}

/** ISO 8601 UTC text for messages, minute precision ("2023-03-26T01:00Z"). */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

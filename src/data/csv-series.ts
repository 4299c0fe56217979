/**
 * Generic importer for engineers' own CSVs: header `time,<column>[,…]`, one row per step,
 * `time` in ISO 8601 WITH an offset or Z. Naive times are rejected rather than guessed: in
 * Paris a naive time is ambiguous twice a year, and guessing UTC vs local shifts a whole file.
 * The step is detected (the most common interval between consecutive rows); irregularities
 * are reported: duplicates and off-grid rows are dropped, gaps and empty cells are filled by
 * linear interpolation. Each value is taken as the mean over [time, time + step).
 */
import { InputError } from "../config/errors.ts";
import { fileLoader, fillGapsLinear, isoMinute, issueLog, parseValueCell, reportGaps, splitCsvLine, splitLines, type ImportIssue, type RegularSeries } from "./series.ts";

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const ISO_EXPECTED = "an ISO 8601 time with offset, e.g. 2026-01-12T00:00:00+01:00";

export interface CsvSeriesImport {
  series: RegularSeries;
  issues: ImportIssue[];
}

/** UTC ms of an ISO 8601 time with offset, or null if malformed / naive / impossible. */
export function parseIsoWithOffset(s: string): number | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const sec = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  if (new Date(naive).getUTCDate() !== d) return null; // 2026-02-30 rolls over: reject
  const z = m[8]!;
  if (z === "Z" || z === "z") return naive;
  const sign = z[0] === "-" ? -1 : 1;
  const digits = z.slice(1).replace(":", "");
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 14 || om > 59) return null;
  return naive - sign * (oh * 60 + om) * 60_000;
}

export function parseTimeSeriesCsv(text: string, file: string, column: string, unit: string): CsvSeriesImport {
  const lines = splitLines(text);
  const header = splitCsvLine(lines[0] ?? "", ",").map((c) => c.trim());
  const col = header.indexOf(column);
  if (header[0] !== "time" || col < 1) {
    throw new InputError(file, "header", `columns 'time' and '${column}'`, `got '${lines[0] ?? ""}'`);
  }
  const { issues, issue } = issueLog(file);

  const times: number[] = [];
  const vals: number[] = [];
  const lineNos: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    if (lines[i]!.trim() === "") continue;
    const cells = splitCsvLine(lines[i]!, ",");
    const tText = cells[0]!.trim();
    const t = parseIsoWithOffset(tText);
    if (t === null) throw new InputError(file, `line ${lineNo} column 'time'`, ISO_EXPECTED, `got '${tText}'`);
    const v = parseValueCell((cells[col] ?? "").trim(), file, lineNo, column, () =>
      issue(lineNo, "missing-value", `line ${lineNo}: '${column}' is empty; filled by linear interpolation`),
    );
    times.push(t);
    vals.push(v);
    lineNos.push(lineNo);
  }
  if (times.length < 2) throw new InputError(file, "data", "at least two rows (to detect the step)", `got ${times.length}`);

  // Step = the most common positive interval: robust to a few gaps or stray rows.
  const counts = new Map<number, number>();
  let outOfOrder = 0;
  for (let r = 1; r < times.length; r++) {
    const dt = times[r]! - times[r - 1]!;
    if (dt > 0) counts.set(dt, (counts.get(dt) ?? 0) + 1);
    else if (dt < 0) outOfOrder++;
  }
  let stepMs = 0;
  let best = 0;
  for (const [dt, c] of counts) if (c > best || (c === best && dt < stepMs)) [stepMs, best] = [dt, c];
  if (stepMs <= 0) throw new InputError(file, "column 'time'", "increasing times", "no two rows are in order");
  if (outOfOrder > 0) issue(null, "out-of-order", `${outOfOrder} row(s) earlier than the row before; placed by their time`);

  // A loop, not Math.min(...times): spreading 100k+ arguments overflows the stack.
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const t of times) {
    if (t < startMs) startMs = t;
    if (t > endMs) endMs = t;
  }
  const n = Math.floor((endMs - startMs) / stepMs) + 1;
  const values = new Float64Array(n).fill(NaN);
  const lineOf = new Int32Array(n);
  for (let r = 0; r < times.length; r++) {
    const off = times[r]! - startMs;
    const k = off / stepMs;
    const lineNo = lineNos[r]!;
    if (!Number.isInteger(k)) {
      issue(lineNo, "off-grid", `line ${lineNo}: ${isoMinute(times[r]!)} is not on the ${stepMs / 1000}-s grid starting ${isoMinute(startMs)}; dropped`, times[r]!);
      continue;
    }
    if (lineOf[k] !== 0) {
      issue(lineNo, "duplicate-row", `line ${lineNo}: repeats the time of line ${lineOf[k]}; dropped`, times[r]!);
      continue;
    }
    lineOf[k] = lineNo;
    values[k] = vals[r]!;
  }
  reportGaps(lineOf, startMs, stepMs, issue);
  if (values.every((v) => Number.isNaN(v))) throw new InputError(file, `column '${column}'`, "at least one value");
  fillGapsLinear(values);
  return { series: { startMs, stepS: stepMs / 1000, values, unit }, issues };
}

/** Reads and parses a `time,<column>` CSV; a missing file is an InputError naming it. */
export const loadTimeSeriesCsvFile: (path: string, column: string, unit: string) => CsvSeriesImport = fileLoader(parseTimeSeriesCsv);

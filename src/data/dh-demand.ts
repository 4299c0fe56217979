/**
 * District-heating demand CSV (the Sønderborg 2019 format: ';'-separated, header
 * `date;heat_demand;temp_feed_flow;temp_back_flow;…`, dates `dd.mm.yyyy HH:MM`, heat_demand in MW)
 * → hourly UTC demand (kW), supply and return temperatures (°C).
 *
 * Time base. The file has exactly 24 rows on every day, including 31.03.2019 and 27.10.2019,
 * so its clock never changes: it is not Danish wall-clock time (which would give 23 and 25
 * rows) but a fixed offset. Which one: averaged over Dec–Feb the morning price peak in
 * `el_spot_price` is the 08:00 hour on this clock, over May–Aug the 07:00 hour; on the French
 * 2023 ENTSO-E file (true local time) it is 08:00–09:00 in winter and 08:00 in summer. A clock
 * equal to local time in winter and one hour behind it in summer is CET, UTC+1 (Danish
 * standard time); a UTC clock would show the winter peak at 07:00. The evidence is statistical
 * (one hour apart), so the default is utcOffsetHours = 1 and it stays an option. If a file turns out to be in wall-clock time, its spring gap and autumn duplicate
 * are reported as issues that name the clock change.
 */
import { InputError } from "../config/errors.ts";
import { DAY_MS, HOUR_MS, summerTimeUtcMs } from "../physics/paris-time.ts";
import {
  fileLoader,
  fillGapsLinear,
  issueLog,
  parseValueCell,
  splitCsvLine,
  splitLines,
  uncoveredRuns,
  type ImportIssue,
  type RegularSeries,
} from "./series.ts";

const WEEK_MS = 7 * DAY_MS;
const DATE_RE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})$/;
const REQUIRED = ["date", "heat_demand", "temp_feed_flow", "temp_back_flow"] as const;

export interface DhDemandImport {
  /** heat demand, kW (the file's MW × 1000, converted once here) */
  demand: RegularSeries;
  supplyTempC: RegularSeries;
  returnTempC: RegularSeries;
  issues: ImportIssue[];
}

/** True when a naive wall-clock time is 02:00 on an EU clock-change Sunday. */
function isClockChangeHour(naiveMs: number): boolean {
  const [start, end] = summerTimeUtcMs(new Date(naiveMs).getUTCFullYear());
  // 01:00 UTC on those Sundays is 02:00 CET (spring) / 03:00 CEST = 02:00 CET (autumn).
  return naiveMs === start + HOUR_MS || naiveMs === end + HOUR_MS;
}

export function parseDhDemandCsv(text: string, file: string, opts: { utcOffsetHours?: number } = {}): DhDemandImport {
  const offsetMs = (opts.utcOffsetHours ?? 1) * HOUR_MS;
  const lines = splitLines(text);
  const header = splitCsvLine(lines[0] ?? "", ";").map((c) => c.trim());
  const idx = REQUIRED.map((name) => header.indexOf(name));
  const missing = REQUIRED.filter((_, i) => idx[i]! < 0);
  if (missing.length > 0) {
    throw new InputError(file, "header", `a ';'-separated header with columns ${REQUIRED.join(", ")}`, `missing ${missing.join(", ")}`);
  }
  const [iDate, iDemand, iSupply, iReturn] = idx as [number, number, number, number];
  const width = Math.max(...idx) + 1;
  const { issues, issue } = issueLog(file);

  const n0 = lines.length - 1;
  if (n0 <= 0) throw new InputError(file, "data", "at least two data rows");
  const naive = new Float64Array(n0);
  const cols = [new Float64Array(n0), new Float64Array(n0), new Float64Array(n0)];
  const colIdx = [iDemand, iSupply, iReturn];
  let rows = 0;
  const rowLine: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    if (lines[i]!.trim() === "") continue;
    const cells = splitCsvLine(lines[i]!, ";");
    if (cells.length < width) throw new InputError(file, `line ${lineNo}`, `at least ${width} ';'-separated columns`, `got ${cells.length}`);
    const dateText = cells[iDate]!.trim();
    const m = DATE_RE.exec(dateText);
    const [d, mo, y, h, mi] = (m ? m.slice(1, 6).map(Number) : []) as number[];
    const t = m ? Date.UTC(y!, mo! - 1, d!, h!, mi!) : NaN;
    // Date.UTC rolls 31.02 over to March: a round trip catches impossible dates.
    if (!m || new Date(t).getUTCDate() !== d || h! > 23 || mi! > 59) {
      throw new InputError(file, `line ${lineNo} column 'date'`, "a date 'dd.mm.yyyy HH:MM'", `got '${dateText}'`);
    }
    naive[rows] = t;
    for (let c = 0; c < 3; c++) {
      const raw = cells[colIdx[c]!]!.trim();
      const name = header[colIdx[c]!]!;
      // ';'-separated files from Danish/German Excel often use a decimal comma.
      const text = /^-?\d+,\d+$/.test(raw) ? raw.replace(",", ".") : raw;
      cols[c]![rows] = parseValueCell(text, file, lineNo, name, () =>
        issue(lineNo, "missing-value", `line ${lineNo}: '${name}' is empty; filled by linear interpolation`),
      );
    }
    rowLine.push(lineNo);
    rows++;
  }
  if (rows < 2) throw new InputError(file, "data", "at least two data rows");

  // Grid: hourly unless the file says otherwise (smallest positive step between rows).
  let stepMs = Infinity;
  let first = Infinity, last = -Infinity;
  for (let r = 0; r < rows; r++) {
    first = Math.min(first, naive[r]!);
    last = Math.max(last, naive[r]!);
    if (r > 0 && naive[r]! > naive[r - 1]!) stepMs = Math.min(stepMs, naive[r]! - naive[r - 1]!);
  }
  if (!Number.isFinite(stepMs)) throw new InputError(file, "column 'date'", "increasing dates");
  const n = Math.round((last - first) / stepMs) + 1;
  const out = [new Float64Array(n).fill(NaN), new Float64Array(n).fill(NaN), new Float64Array(n).fill(NaN)];
  const lineOf = new Int32Array(n);
  const hint = (t: number) => (isClockChangeHour(t) ? " (an EU clock-change hour: this file may be in wall-clock local time)" : "");
  for (let r = 0; r < rows; r++) {
    const k = (naive[r]! - first) / stepMs;
    const lineNo = rowLine[r]!;
    if (!Number.isInteger(k)) {
      throw new InputError(file, `line ${lineNo} column 'date'`, `a time on the ${stepMs / 60000}-min grid of the file`);
    }
    if (lineOf[k] !== 0) {
      issue(lineNo, "duplicate-row", `line ${lineNo}: repeats the time of line ${lineOf[k]}; dropped${hint(naive[r]!)}`);
      continue;
    }
    lineOf[k] = lineNo;
    for (let c = 0; c < 3; c++) out[c]![k] = cols[c]![r]!;
  }
  for (const { from, to } of uncoveredRuns(lineOf)) {
    issue(lineOf[to] ?? null, "gap", `no row for ${to - from} step(s) before line ${lineOf[to]}; filled by linear interpolation${hint(first + from * stepMs)}`);
  }
  for (let c = 0; c < 3; c++) {
    if (out[c]!.every((v) => Number.isNaN(v))) throw new InputError(file, `column '${header[colIdx[c]!]}'`, "at least one value");
    fillGapsLinear(out[c]!);
  }
  const demand = out[0]!;
  for (let k = 0; k < n; k++) demand[k] = demand[k]! * 1000; // MW → kW, once, here
  const startMs = first - offsetMs;
  const stepS = stepMs / 1000;
  return {
    demand: { startMs, stepS, values: demand, unit: "kW" },
    supplyTempC: { startMs, stepS, values: out[1]!, unit: "°C" },
    returnTempC: { startMs, stepS, values: out[2]!, unit: "°C" },
    issues,
  };
}

/**
 * Re-uses the shape of a year of hourly demand for calendar `year` (UTC, 8760/8784 values):
 * each target hour takes the source hour a whole number of weeks earlier or later, so weekday
 * and hour of day are preserved (Monday maps to Monday). The shift is the multiple of 7 days
 * nearest to the distance between the two year starts (seasons move by at most 3.5 days);
 * hours falling off either end of the source wrap by 52 weeks (364 days), which keeps the
 * weekday too. The result is then scaled so its mean is exactly `meanKw`.
 */
export function shapeToYear(series: RegularSeries, year: number, opts: { meanKw: number }): RegularSeries {
  const where = "shapeToYear";
  if (series.stepS !== 3600) throw new InputError(where, "series.stepS", "an hourly series (3600 s)", `got ${series.stepS}`);
  const srcN = series.values.length;
  if (srcN < 364 * 24) throw new InputError(where, "series", "at least 52 weeks of hourly values", `got ${srcN} hours`);
  if (!(opts.meanKw >= 0) || !Number.isFinite(opts.meanKw)) throw new InputError(where, "meanKw", "a finite number ≥ 0", `got ${opts.meanKw}`);
  const startMs = Date.UTC(year, 0, 1);
  const n = (Date.UTC(year + 1, 0, 1) - startMs) / HOUR_MS;
  const shiftMs = Math.round((startMs - series.startMs) / WEEK_MS) * WEEK_MS;
  const values = new Float64Array(n);
  const wrapH = 364 * 24;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let k = Math.round((startMs + i * HOUR_MS - shiftMs - series.startMs) / HOUR_MS);
    while (k < 0) k += wrapH;
    while (k >= srcN) k -= wrapH;
    const v = series.values[k]!;
    values[i] = v;
    sum += v;
  }
  const mean = sum / n;
  if (!(mean > 0)) throw new InputError(where, "series", "a demand with a positive mean", `got ${mean}`);
  const scale = opts.meanKw / mean;
  for (let i = 0; i < n; i++) values[i] = values[i]! * scale;
  return { startMs, stepS: 3600, values, unit: "kW" };
}

/** Reads and parses a district-heating demand CSV; a missing file is an InputError naming it. */
export const loadDhDemandFile: (path: string, opts?: { utcOffsetHours?: number }) => DhDemandImport = fileLoader(parseDhDemandCsv);

/**
 * One file from the forecast drop folder (DESIGN §4 "Forecasts") → forecast series, or the reasons it is refused.
 *
 * The kind is recognised from the content, not the name: an ENTSO-E day-ahead price export (first column
 * "MTU (…)"), an EPW weather file (first line "LOCATION,…"), or a CSV whose header is `time,<quantity>[,…]`.
 * The importers of src/data do the reading; they repair what a year of measured data can live with (fill holes,
 * drop repeated or non-existent hours, re-order rows) and report each repair as an issue. A controller acting on
 * tomorrow's prices cannot: here every such issue, a row going back in time, or a value outside its physical
 * range rejects the whole file, each problem naming the file and the line. Pure: no file access, no clock.
 */
import { parseIsoWithOffset, parseTimeSeriesCsv } from "../data/csv-series.ts";
import { parseEntsoePrices } from "../data/entsoe.ts";
import { isEmptyCell, parseStrictNumber, splitCsvLine, splitLines, type RegularSeries } from "../data/series.ts";
import { parseEpwDrop } from "./drop-file-epw.ts";
import { DROP_QUANTITIES, DROP_RANGES, ProblemLog, type DropProblem, type DropQuantity, type DropSeries } from "./drop-problems.ts";

export { DROP_QUANTITIES, PROBLEMS_LISTED, type DropProblem, type DropQuantity, type DropSeries } from "./drop-problems.ts";

/** Which format the file was: "epw" is a typical year, the others dated forecasts. */
export type DropKind = "entsoe" | "epw" | "csv";

export type DropFileResult =
  | { ok: true; kind: DropKind; series: Partial<Record<DropQuantity, DropSeries>>; coverage: { fromMs: number; toMs: number } }
  | { ok: false; problems: DropProblem[] };

export interface DropFileOptions {
  /** The present (UTC ms): an EPW typical year is placed on this year and the next. EPW files are refused without it. */
  nowMs?: number;
}

type Series = Partial<Record<DropQuantity, DropSeries>>;

const FORMATS =
  "an ENTSO-E day-ahead export (header 'MTU (CET/CEST),Day-ahead Price [EUR/MWh]'), an EPW weather file (first line 'LOCATION,…') " +
  `or a CSV with header 'time,<quantity>' (${DROP_QUANTITIES.join(", ")})`;
// The same header test as src/data/entsoe.ts, which does not export it: needed here to find the price cell of a row.
const PRICE_HEADER_RE = /^Day-ahead Price [[(]EUR\/MWh[\])]$/;
// The start of an MTU interval and the optional (CET)/(CEST)/(UTC) marker of the autumn repeat.
const MTU_START_RE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}) - .*?(?:\((CET|CEST|UTC)\))?$/;
const UTC_TIME_RE = /(Z|[+-]00(:?00)?)$/i;
// A file spanning ENTSO-E's switch to 15-min MTU repeats each hourly price per quarter: a convention, not a flaw.
const ENTSOE_TOLERATED = new Set(["mixed-mtu"]);

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);
const toDrop = (s: RegularSeries): DropSeries => ({ startMs: s.startMs, stepS: s.stepS, values: Array.from(s.values) });

/** A cell that holds a number is range-checked; empty or malformed cells are the importer's to report. */
function checkCell(log: ProblemLog, q: DropQuantity, cell: string | undefined, line: number): void {
  const c = (cell ?? "").trim();
  if (isEmptyCell(c)) return;
  const v = parseStrictNumber(c);
  if (!Number.isNaN(v)) log.checkRange(q, v, line);
}

function parseEntsoeDrop(text: string, lines: string[], log: ProblemLog): Series {
  const { series, issues } = parseEntsoePrices(text, log.file);
  const header = splitCsvLine(lines[0]!, ",").map((c) => c.trim());
  for (const issue of issues) log.addIssue(issue, ENTSOE_TOLERATED, header[0] === "MTU (CET/CEST)");
  const priceIdx = header.findIndex((c) => PRICE_HEADER_RE.test(c));
  // The importer places rows by their time without a word: a row earlier than the one before is found here.
  let prev: { labelMs: number; marker: string | undefined; line: number; mtu: string } | null = null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const line = i + 1;
    const cells = splitCsvLine(lines[i]!, ",");
    const mtu = cells[0]!.trim();
    const m = MTU_START_RE.exec(mtu);
    if (!m) continue; // the importer has refused such a row already
    const [d, mo, y, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
    const labelMs = Date.UTC(y, mo - 1, d, h, mi);
    const marker = m[6];
    // Labels are wall-clock readings: an equal label is the autumn repeat (or a duplicate, which the importer
    // reports); going back is an earlier label, or CEST after CET for the same one.
    if (prev && (labelMs < prev.labelMs || (labelMs === prev.labelMs && prev.marker === "CET" && marker === "CEST"))) {
      log.add(line, `time goes backwards: '${mtu}' after '${prev.mtu}' (line ${prev.line})`);
    }
    checkCell(log, "price_el_eur_mwh", cells[priceIdx], line);
    prev = { labelMs, marker, line, mtu };
  }
  return { price_el_eur_mwh: toDrop(series) };
}

function parseCsvDrop(text: string, lines: string[], log: ProblemLog): Series | null {
  const header = splitCsvLine(lines[0]!, ",").map((c) => c.trim());
  const cols = header.slice(1);
  const unknown = cols.filter((c) => !(DROP_QUANTITIES as readonly string[]).includes(c));
  const accepted = `accepted names after 'time' are ${DROP_QUANTITIES.join(", ")}`;
  if (unknown.length > 0) {
    log.add(1, `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `'${c}'`).join(", ")} in header '${clip(lines[0]!)}': ${accepted}`);
  } else if (cols.length === 0) log.add(1, `header '${lines[0]}' names no quantity: ${accepted}`);
  else if (new Set(cols).size !== cols.length) log.add(1, `header '${lines[0]}' names a quantity twice`);
  if (log.count > 0) return null;

  const out: Series = {};
  // Times written with a non-zero offset are local readings (the importer requires an offset on every time).
  const localTime = !UTC_TIME_RE.test(splitCsvLine(lines[1] ?? "", ",")[0]!.trim());
  for (const q of cols as DropQuantity[]) {
    const { series, issues } = parseTimeSeriesCsv(text, log.file, q, DROP_RANGES[q].unit);
    // Its out-of-order issue has no line; the row pass below names each row that goes back.
    for (const issue of issues) if (issue.kind !== "out-of-order") log.addIssue(issue, undefined, localTime);
    out[q] = toDrop(series);
  }
  let prev: { t: number; line: number; text: string } | null = null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const line = i + 1;
    const cells = splitCsvLine(lines[i]!, ",");
    if (cells.length !== header.length) log.add(line, `${cells.length} cell(s) where the header has ${header.length}`);
    const tText = cells[0]!.trim();
    const t = parseIsoWithOffset(tText);
    if (t === null) continue; // the importer has refused such a row already
    if (prev && t < prev.t) log.add(line, `time goes backwards: ${tText} is before ${prev.text} (line ${prev.line})`);
    cols.forEach((q, j) => checkCell(log, q as DropQuantity, cells[j + 1], line));
    prev = { t, line, text: tText };
  }
  return out;
}

/** Reads one drop-folder file; never throws. `fileName` is only used to name the file in problems. */
export function parseDropFile(text: string, fileName: string, opts: DropFileOptions = {}): DropFileResult {
  const log = new ProblemLog(fileName);
  let series: Series | null = null;
  let kind: DropKind = "csv";
  try {
    const lines = splitLines(text);
    const first = lines[0] ?? "";
    const cell0 = (splitCsvLine(first, ",")[0] ?? "").trim();
    if (lines.length === 0) log.add(undefined, `is empty: expected ${FORMATS}`);
    else if (cell0 === "LOCATION") [kind, series] = ["epw", parseEpwDrop(text, log, opts.nowMs)];
    else if (/^MTU \(/.test(cell0)) [kind, series] = ["entsoe", parseEntsoeDrop(text, lines, log)];
    else if (cell0 === "time") [kind, series] = ["csv", parseCsvDrop(text, lines, log)];
    else log.add(1, `not a recognised forecast file: expected ${FORMATS} (got '${clip(first)}')`);
  } catch (e) {
    log.addThrown(e);
  }
  if (log.count > 0 || series === null) return { ok: false, problems: log.result() };

  let fromMs = Infinity;
  let toMs = -Infinity;
  for (const s of Object.values(series)) {
    fromMs = Math.min(fromMs, s.startMs);
    toMs = Math.max(toMs, s.startMs + s.values.length * s.stepS * 1000);
  }
  return { ok: true, kind, series, coverage: { fromMs, toMs } };
}

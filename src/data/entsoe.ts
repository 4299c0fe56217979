/**
 * ENTSO-E Transparency Platform day-ahead price export (CSV) → hourly or 15-min UTC series.
 *
 * The export's time column is an interval "dd.mm.yyyy HH:MM - dd.mm.yyyy HH:MM" in Paris local
 * time (header "MTU (CET/CEST)") or in UTC (header "MTU (UTC)"). Local time means a 25-hour
 * autumn day (the repeated hour appears twice: first is CEST, second CET) and a 23-hour spring
 * day. Real exports also carry a row for the non-existent spring hour, empty cells ("-", "n/e"),
 * duplicate rows and gaps: all are reported as issues, none silently absorbed, and the year is
 * never shifted to "make room" for a bogus row.
 */
import { InputError } from "../config/errors.ts";
import { cetLocalToUtcMs } from "./local-time.ts";
import { fileLoader, fillGapsLinear, issueLog, parseValueCell, reportGaps, splitCsvLine, splitLines, type ImportIssue, type RegularSeries } from "./series.ts";

const MTU_HEADER_RE = /^MTU \((CET\/CEST|UTC)\)$/;
// ENTSO-E has used both bracket styles for the unit over the years.
const PRICE_HEADER_RE = /^Day-ahead Price [[(]EUR\/MWh[\])]$/;
// Optional "(CET)"/"(CEST)" suffix: some exports disambiguate the autumn repeat explicitly.
const MTU_RE =
  /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}) - (\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})(?:\s*\((CET|CEST|UTC)\))?$/;
const MTU_EXPECTED = "an interval 'dd.mm.yyyy HH:MM - dd.mm.yyyy HH:MM'";
const MINUTE_MS = 60_000;

export interface EntsoeImport {
  /** UTC, EUR/MWh, stepS 3600 (hourly MTU) or 900 (15-min MTU, from late 2025) */
  series: RegularSeries;
  issues: ImportIssue[];
}

interface Row {
  line: number;
  startMs: number;
  durMs: number;
  price: number; // NaN when the cell was empty (already reported)
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseEntsoePrices(text: string, file: string): EntsoeImport {
  const lines = splitLines(text);
  if (lines.length === 0) throw new InputError(file, "header", "'MTU (CET/CEST),Day-ahead Price [EUR/MWh]'", "empty file");
  const header = splitCsvLine(lines[0]!, ",").map((c) => c.trim());
  const mtu = MTU_HEADER_RE.exec(header[0] ?? "");
  const priceIdx = header.findIndex((c) => PRICE_HEADER_RE.test(c));
  if (!mtu || priceIdx < 0) {
    throw new InputError(
      file,
      "header",
      "columns 'MTU (CET/CEST)' (or 'MTU (UTC)') and 'Day-ahead Price [EUR/MWh]'",
      `got '${lines[0]}'`,
    );
  }
  const localTime = mtu[1] === "CET/CEST";
  const timeCol = header[0]!;
  const priceCol = header[priceIdx]!;
  const { issues, issue } = issueLog(file);

  const rows: Row[] = [];
  const byStart = new Map<number, Row>();
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === "") continue; // a blank line carries no data and hides nothing
    const cells = splitCsvLine(raw, ",");
    if (cells.length <= priceIdx) {
      throw new InputError(file, `line ${lineNo}`, `${header.length} comma-separated columns`, `got ${cells.length}`);
    }
    const mtuText = cells[0]!.trim();
    const m = MTU_RE.exec(mtuText);
    const bad = () => new InputError(file, `line ${lineNo} column '${timeCol}'`, MTU_EXPECTED, `got '${mtuText}'`);
    if (!m) throw bad();
    const [d1, mo1, y1, h1, mi1, d2, mo2, y2, h2, mi2] = m.slice(1, 11).map(Number) as number[] as [
      number, number, number, number, number, number, number, number, number, number,
    ];
    if (mo1 < 1 || mo1 > 12 || d1 < 1 || d1 > daysInMonth(y1, mo1) || h1 > 23 || mi1 > 59) throw bad();
    if (mo2 < 1 || mo2 > 12 || d2 < 1 || d2 > daysInMonth(y2, mo2) || h2 > 23 || mi2 > 59) throw bad();
    // Duration from the wall-clock labels: both ends are on the same clock, and converting the
    // end separately would make the autumn "02:00 - 03:00" (CEST start) look two hours long.
    const durMin = (Date.UTC(y2, mo2 - 1, d2, h2, mi2) - Date.UTC(y1, mo1 - 1, d1, h1, mi1)) / MINUTE_MS;
    if (durMin !== 60 && durMin !== 15) {
      throw new InputError(file, `line ${lineNo} column '${timeCol}'`, "an MTU of 15 or 60 minutes", `got ${durMin} min in '${mtuText}'`);
    }

    const cell = cells[priceIdx]!.trim();
    const price = parseValueCell(cell, file, lineNo, priceCol, () =>
      issue(lineNo, "missing-value", `line ${lineNo}: no price for '${mtuText}' ('${cell}'); filled by linear interpolation`),
    );

    let startMs: number | null;
    if (!localTime) {
      startMs = Date.UTC(y1, mo1 - 1, d1, h1, mi1);
    } else {
      const marker = m[11];
      const first = cetLocalToUtcMs(y1, mo1, d1, h1, mi1, marker === "CET" ? "second" : "first");
      const second = cetLocalToUtcMs(y1, mo1, d1, h1, mi1, "second");
      startMs = first;
      // Autumn repeat without a marker: the second row for the same wall-clock hour is CET.
      if (first !== null && second !== first && !marker && byStart.has(first)) startMs = second;
    }
    if (startMs === null) {
      issue(
        lineNo,
        "nonexistent-local-time",
        `line ${lineNo}: '${mtuText}' does not exist in Paris local time (clocks jump 02:00→03:00 that day); row dropped (price ${cell})`,
        // The skipped hour is 01:00 UTC (02:00 CET that never was).
        Date.UTC(y1, mo1 - 1, d1, h1, mi1) - 3_600_000,
      );
      continue;
    }

    const prev = byStart.get(startMs);
    if (prev) {
      const same = prev.price === price || (Number.isNaN(prev.price) && Number.isNaN(price));
      if (same) {
        issue(lineNo, "duplicate-row", `line ${lineNo}: '${mtuText}' repeats line ${prev.line}; dropped`, startMs);
      } else {
        issue(
          lineNo,
          "conflicting-duplicate",
          `line ${lineNo}: '${mtuText}' repeats line ${prev.line} with a different price (${cell} vs ${prev.price}); kept line ${prev.line}`,
          startMs,
        );
      }
      continue;
    }
    const row: Row = { line: lineNo, startMs, durMs: durMin * MINUTE_MS, price };
    byStart.set(startMs, row);
    rows.push(row);
  }
  if (rows.length === 0) throw new InputError(file, priceCol, "at least one data row");

  // Step = the finest MTU present. A file spanning ENTSO-E's switch to 15-min MTU holds both;
  // an hourly price is the settlement price of each of its quarters, so it is repeated.
  let stepMs = Infinity;
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const r of rows) {
    stepMs = Math.min(stepMs, r.durMs);
    startMs = Math.min(startMs, r.startMs);
    endMs = Math.max(endMs, r.startMs + r.durMs);
  }
  const coarse = rows.find((r) => r.durMs !== stepMs);
  if (coarse) {
    issue(
      coarse.line,
      "mixed-mtu",
      `rows of ${coarse.durMs / MINUTE_MS} and ${stepMs / MINUTE_MS} min MTU (first coarse row at line ${coarse.line}); each coarse price repeated over its ${stepMs / MINUTE_MS}-min slots`,
    );
  }

  const n = Math.round((endMs - startMs) / stepMs);
  const values = new Float64Array(n).fill(NaN);
  const lineOf = new Int32Array(n); // 0 = no row covers the slot
  for (const r of rows) {
    const first = (r.startMs - startMs) / stepMs;
    if (!Number.isInteger(first)) {
      throw new InputError(file, `line ${r.line} column '${timeCol}'`, `a start aligned to the ${stepMs / MINUTE_MS}-min grid`);
    }
    for (let k = first; k < first + r.durMs / stepMs; k++) {
      values[k] = r.price;
      lineOf[k] = r.line;
    }
  }
  if (values.every((v) => Number.isNaN(v))) throw new InputError(file, priceCol, "at least one price", "every cell is empty");

  // Gaps = slots no row covers (empty cells were reported on their own line above).
  reportGaps(lineOf, startMs, stepMs, issue);
  fillGapsLinear(values);

  return { series: { startMs, stepS: stepMs / 1000, values, unit: "EUR/MWh" }, issues };
}

/** Reads and parses an ENTSO-E price export; a missing file is an InputError naming it. */
export const loadEntsoePricesFile: (path: string) => EntsoeImport = fileLoader(parseEntsoePrices);

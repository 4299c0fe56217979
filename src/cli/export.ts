import { closeSync, openSync, writeSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { parseIsoWithOffset } from "../data/csv-series.ts";
import { cetLocalToUtcMs } from "../data/local-time.ts";
import { timeseriesCsvHeader, timeseriesCsvLine } from "../report/record.ts";
import { openReadableHistory } from "../store/history.ts";
import type { HistoryReader, StoredCycle } from "../store/reader.ts";
import { checkOutputFile } from "./output-path.ts";

/**
 * `chaleur export --db FILE [--from] [--to] [--out FILE]`: the history as CSV in the timeseries.csv columns, one
 * row per cycle (a 15-min mean where retention has folded the raw rows), so the simulator's tooling works on real
 * plant data. Reads beside a running daemon (WAL readers take no lock).
 */
export interface PeriodOptions {
  db: string;
  from?: string;
  to?: string;
}

/** A time given by a person: ISO 8601 with an offset, or a date (midnight, Europe/Paris). */
export function parseTimeOption(option: string, s: string): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ms = date ? cetLocalToUtcMs(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0) : parseIsoWithOffset(s);
  if (ms === null || !Number.isFinite(ms)) throw new InputError(option, "", "an ISO 8601 time with its offset (2026-11-30T08:00:00+01:00, …Z) or a date (2026-11-30, midnight in Paris)", `got '${s}'`);
  return ms;
}

/** The period asked for, bounded by what the history holds; an empty history or period is an error. */
export function periodOf(reader: HistoryReader, o: PeriodOptions): { fromMs: number; toMs: number } {
  const span = reader.span();
  if (!span) throw new InputError(o.db, "", "a history with at least one cycle", "it is empty");
  const fromMs = o.from !== undefined ? parseTimeOption("--from", o.from) : span.fromMs;
  const toMs = o.to !== undefined ? parseTimeOption("--to", o.to) : span.toMs + 1;
  const held = `the history holds ${new Date(span.fromMs).toISOString()} to ${new Date(span.toMs).toISOString()}`;
  if (o.to === undefined && fromMs > span.toMs) throw new InputError(o.db, "", "cycles in the period asked for", `${held}; --from is after its end`);
  if (toMs <= fromMs) throw new InputError("--to", "", "a time after --from", `got ${new Date(toMs).toISOString()} ≤ ${new Date(fromMs).toISOString()}`);
  return { fromMs, toMs };
}

function csvLine(c: StoredCycle, names: readonly string[], at: Map<string, number>): string {
  return timeseriesCsvLine(c.timeMs, c.mode, names, (n) => {
    const i = at.get(n);
    return i === undefined ? undefined : c.values[i];
  });
}

export function runExport(o: PeriodOptions & { out?: string }): { rows: number; file: string } {
  const out = o.out !== undefined ? checkOutputFile("--out", o.out) : null;
  const h = openReadableHistory(o.db);
  try {
    const { fromMs, toMs } = periodOf(h.reader, o);
    const rows = h.reader.cycles(fromMs, toMs);
    const first = rows.next();
    if (first.done) throw new InputError(o.db, "", "cycles in the period asked for", `none between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
    // The columns of the first row; a later row with other columns (a model change) fills the ones it shares.
    const names = first.value.names;
    // The reader hands out one names array per column set: index each set once.
    const indexes = new Map<string[], Map<string, number>>();
    const indexOf = (c: StoredCycle) => {
      let m = indexes.get(c.names);
      if (!m) indexes.set(c.names, (m = new Map(c.names.map((n, i) => [n, i]))));
      return m;
    };
    const fd = out ? openSync(out, "w") : 1;
    let n = 0;
    let buf = timeseriesCsvHeader(names);
    try {
      for (let c: StoredCycle | undefined = first.value; c; c = rows.next().value ?? undefined) {
        buf += csvLine(c, names, indexOf(c));
        n++;
        if (buf.length > 1 << 16) {
          writeSync(fd, buf);
          buf = "";
        }
      }
      writeSync(fd, buf);
    } finally {
      if (out) closeSync(fd);
    }
    return { rows: n, file: out ?? "-" };
  } finally {
    h.close();
  }
}

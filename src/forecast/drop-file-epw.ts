/**
 * An EPW weather file from the drop folder → outdoor temperature and global horizontal irradiance.
 *
 * An EPW is a typical year, not a forecast; it is accepted as the fallback a site without a weather feed can
 * have (DESIGN §4 names EPW as a drop-folder source), placed by src/data/epw.ts on the calendar year of `nowMs`
 * and the next one, so that a horizon crossing New Year stays covered for at least a year. The drop folder
 * prefers a dated forecast over it whenever one covers the present.
 *
 * Strict, unlike the importer: every hour of the year, once and in order, no missing-value code. A hole or a
 * repeated hour would otherwise be filled or dropped by the importer, and nothing here says which it was.
 */
import { alignEpwToYear, parseEpw, type EpwData } from "../data/epw.ts";
import type { DropQuantity, DropSeries, ProblemLog } from "./drop-problems.ts";

const HEADER_LINES = 8;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Conventions of placing a typical year on a calendar year, not flaws of the file.
const TOLERATED = new Set(["leap-day-dropped", "synthesised-leap-day"]);

type Mdh = readonly [month: number, day: number, hour: number];

const key = ([m, d, h]: Mdh): number => m * 10_000 + d * 100 + h;
const label = ([m, d, h]: Mdh): string => `${m}/${d} hour ${h}`;
const lineOf = (row: number): number => HEADER_LINES + row + 1;

/** The hour after `t` in a typical year, or null after 12/31 hour 24. Feb 29, when present, is let in by the caller. */
function next([m, d, h]: Mdh): Mdh | null {
  if (h < 24) return [m, d, h + 1];
  if (d < DAYS_IN_MONTH[m - 1]!) return [m, d + 1, 1];
  return m < 12 ? [m + 1, 1, 1] : null;
}

/** Every hour from 1/1 hour 1 to 12/31 hour 24, each once and in order (Feb 29 allowed after Feb 28). */
function checkSequence(epw: EpwData, log: ProblemLog): void {
  let expected: Mdh | null = [1, 1, 1];
  let prev = -1;
  for (let r = 0; r < epw.rows; r++) {
    const t: Mdh = [epw.month[r]!, epw.day[r]!, epw.hour[r]!];
    const k = key(t);
    const e = expected ? key(expected) : Infinity;
    const leapDay = expected !== null && key(expected) === key([3, 1, 1]) && k === key([2, 29, 1]);
    if (k === e || leapDay) {
      expected = next(t);
      prev = r;
    } else if (k > e) {
      log.add(lineOf(r), `hole: no rows from ${label(expected!)} up to ${label(t)}`);
      expected = next(t);
      prev = r;
    } else {
      const p: Mdh = prev >= 0 ? [epw.month[prev]!, epw.day[prev]!, epw.hour[prev]!] : [0, 0, 0];
      if (k === key(p)) log.add(lineOf(r), `repeated time: ${label(t)} repeats line ${lineOf(prev)}`);
      else log.add(lineOf(r), `time goes backwards: ${label(t)} after ${label(p)} (line ${lineOf(prev)})`);
    }
  }
  if (expected !== null) {
    log.add(lineOf(epw.rows - 1), `hole: the file ends before ${label(expected)}; a typical year needs every hour up to 12/31 hour 24`);
  }
}

/** The file's series placed on the year of `nowMs` and the next, or null with the problems in `log`. Throws an InputError if malformed. */
export function parseEpwDrop(text: string, log: ProblemLog, nowMs: number | undefined): Partial<Record<DropQuantity, DropSeries>> | null {
  if (nowMs === undefined || !Number.isFinite(nowMs)) {
    log.add(undefined, "an EPW typical year is placed on the current year, and no current time was given");
    return null;
  }
  const epw = parseEpw(text, log.file);
  for (const issue of epw.issues) log.addIssue(issue);
  checkSequence(epw, log);
  for (let r = 0; r < epw.rows; r++) {
    log.checkRange("outdoor_temp_c", epw.tempC[r]!, lineOf(r));
    log.checkRange("solar_w_m2", epw.ghiWm2[r]!, lineOf(r));
  }
  if (log.count > 0) return null;

  const year = new Date(nowMs).getUTCFullYear();
  const a = alignEpwToYear(epw, year);
  const b = alignEpwToYear(epw, year + 1);
  for (const issue of [...a.issues, ...b.issues]) log.addIssue(issue, TOLERATED);
  // alignEpwToYear gives whole UTC years from Jan 1 00:00Z, so the second year starts where the first ends.
  return {
    outdoor_temp_c: { startMs: a.temp.startMs, stepS: 3600, values: [...a.temp.values, ...b.temp.values] },
    solar_w_m2: { startMs: a.ghi.startMs, stepS: 3600, values: [...a.ghi.values, ...b.ghi.values] },
  };
}

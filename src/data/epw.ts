/**
 * EnergyPlus weather (EPW) → dry-bulb temperature and global horizontal irradiance.
 *
 * An EPW "typical year" is stitched from months of different calendar years (this Uccle file:
 * Jan 2019, Feb 2016, …, Dec 2012), so the year column is not a real date and is discarded at
 * parse time; alignEpwToYear places rows on a requested year by month, day and hour.
 * Rows are in local STANDARD time (no DST) with the hour-ending convention: hour h covers
 * [h−1, h). Missing-value codes (dry-bulb 99.9, radiation 9999) are reported and interpolated.
 */
import { InputError } from "../config/errors.ts";
import {
  fileLoader,
  fillGapsLinear,
  parseStrictNumber,
  splitLines,
  type ImportIssue,
  type RegularSeries,
} from "./series.ts";

const HEADER_LINES = 8;
const HOUR_MS = 3_600_000;
// 1-based EPW field numbers, as in the EnergyPlus Auxiliary Programs manual.
const F_MONTH = 2, F_DAY = 3, F_HOUR = 4, F_DRYBULB = 7, F_GHI = 14;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Day-of-year offset (0-based) of each month's first day in a non-leap year.
const MONTH_START = DAYS_IN_MONTH.reduce<number[]>((acc, d, i) => (acc.push(i === 0 ? 0 : acc[i - 1]! + DAYS_IN_MONTH[i - 1]!), acc), []);

export interface EpwLocation {
  city: string;
  latitudeDeg: number;
  longitudeDeg: number;
  /** local standard time minus UTC, hours (Uccle: +1) */
  tzOffsetHours: number;
  elevationM: number;
}

export interface EpwData {
  /** the file name given to parseEpw, for issues raised later (alignment) */
  file: string;
  location: EpwLocation;
  rows: number;
  issues: ImportIssue[];
  month: Uint8Array;
  day: Uint8Array;
  /** 1..24, hour ending, local standard time */
  hour: Uint8Array;
  tempC: Float64Array;
  /** Wh/m² over the hour ending at `hour` = mean W/m² over that hour (same number) */
  ghiWm2: Float64Array;
}

function num(file: string, field: string, s: string | undefined): number {
  const v = parseStrictNumber(s ?? "");
  if (Number.isNaN(v)) throw new InputError(file, field, "a number", `got '${s ?? ""}'`);
  return v;
}

function parseLocation(line: string, file: string): EpwLocation {
  const f = line.split(",");
  if (f[0]?.trim() !== "LOCATION" || f.length < 10) {
    throw new InputError(file, "line 1", "an EPW LOCATION line (LOCATION,city,state,country,source,WMO,lat,lon,tz,elevation)", `got '${line.slice(0, 60)}'`);
  }
  const loc: EpwLocation = {
    city: f[1]!.trim(),
    latitudeDeg: num(file, "line 1 LOCATION latitude", f[6]),
    longitudeDeg: num(file, "line 1 LOCATION longitude", f[7]),
    tzOffsetHours: num(file, "line 1 LOCATION time zone", f[8]),
    elevationM: num(file, "line 1 LOCATION elevation", f[9]),
  };
  if (Math.abs(loc.latitudeDeg) > 90 || Math.abs(loc.longitudeDeg) > 180 || Math.abs(loc.tzOffsetHours) > 14) {
    throw new InputError(file, "line 1 LOCATION", "latitude within ±90, longitude within ±180 and a time zone within ±14 h");
  }
  return loc;
}

export function parseEpw(text: string, file: string): EpwData {
  const lines = splitLines(text);
  if (lines.length === 0) throw new InputError(file, "line 1", "an EPW LOCATION line", "empty file");
  const location = parseLocation(lines[0]!, file);
  const n = lines.length - HEADER_LINES;
  if (n <= 0) throw new InputError(file, "data", `data rows after the ${HEADER_LINES} header lines`, "none found");
  const issues: ImportIssue[] = [];
  const month = new Uint8Array(n), day = new Uint8Array(n), hour = new Uint8Array(n);
  const tempC = new Float64Array(n), ghiWm2 = new Float64Array(n);

  for (let r = 0; r < n; r++) {
    const lineNo = HEADER_LINES + r + 1;
    const f = lines[HEADER_LINES + r]!.split(",");
    if (f.length < F_GHI) throw new InputError(file, `line ${lineNo}`, `at least ${F_GHI} comma-separated fields`, `got ${f.length}`);
    const mo = num(file, `line ${lineNo} field ${F_MONTH} (month)`, f[F_MONTH - 1]);
    const d = num(file, `line ${lineNo} field ${F_DAY} (day)`, f[F_DAY - 1]);
    const h = num(file, `line ${lineNo} field ${F_HOUR} (hour)`, f[F_HOUR - 1]);
    // Feb 29 is accepted here (some EPWs carry it) and dropped at alignment time.
    if (!Number.isInteger(mo) || mo < 1 || mo > 12) throw new InputError(file, `line ${lineNo} field ${F_MONTH} (month)`, "an integer 1..12", `got ${mo}`);
    const maxDay = mo === 2 ? 29 : DAYS_IN_MONTH[mo - 1]!;
    if (!Number.isInteger(d) || d < 1 || d > maxDay) throw new InputError(file, `line ${lineNo} field ${F_DAY} (day)`, `an integer 1..${maxDay}`, `got ${d}`);
    if (!Number.isInteger(h) || h < 1 || h > 24) throw new InputError(file, `line ${lineNo} field ${F_HOUR} (hour)`, "an hour-ending integer 1..24", `got ${h}`);
    month[r] = mo;
    day[r] = d;
    hour[r] = h;
    const t = num(file, `line ${lineNo} field ${F_DRYBULB} (dry-bulb °C)`, f[F_DRYBULB - 1]);
    const g = num(file, `line ${lineNo} field ${F_GHI} (GHI Wh/m²)`, f[F_GHI - 1]);
    tempC[r] = t >= 99.9 ? NaN : t; // EPW "missing" code for dry-bulb
    ghiWm2[r] = g >= 9999 ? NaN : g; // EPW "missing" code for radiation
  }

  const report = (values: Float64Array, what: string, code: string) => {
    if (values.every((v) => Number.isNaN(v))) throw new InputError(file, what, "at least one valid value", `all are the missing code ${code}`);
    for (const run of fillGapsLinear(values)) {
      issues.push({
        file,
        line: HEADER_LINES + run.from + 1,
        kind: "missing-value",
        message: `line ${HEADER_LINES + run.from + 1}: ${what} missing (${code}) for ${run.to - run.from} row(s); filled by linear interpolation`,
      });
    }
  };
  report(tempC, "dry-bulb temperature", "99.9");
  report(ghiWm2, "global horizontal irradiance", "9999");
  return { file, location, rows: n, issues, month, day, hour, tempC, ghiWm2 };
}

export interface EpwYear {
  temp: RegularSeries;
  ghi: RegularSeries;
  issues: ImportIssue[];
}

/**
 * Places a typical year on calendar `year` as hourly UTC series (8760 or 8784 values from
 * `year`-01-01T00:00Z). UTC hour [t, t+1h) is local standard hour [t+tz, t+tz+1h), i.e. the
 * row with hour-ending local hour + 1. Local times falling outside `year` (the first or last
 * UTC hours, depending on the sign of tz) wrap around the typical year: Dec 31 ↔ Jan 1.
 * A fractional tz (e.g. +5.5) blends the two overlapping rows by time.
 * Dry-bulb in EPW is strictly a reading at the hour end; it is used as that hour's mean, a
 * half-hour lag well inside the accuracy of a typical year.
 */
export function alignEpwToYear(epw: EpwData, year: number): EpwYear {
  const file = epw.file;
  const issues: ImportIssue[] = [];
  // Dense typical year indexed by (non-leap day of year, local hour starting 0..23).
  const slots = 365 * 24;
  const temp = new Float64Array(slots).fill(NaN);
  const ghi = new Float64Array(slots).fill(NaN);
  let leapRows = 0;
  let dupes = 0;
  for (let r = 0; r < epw.rows; r++) {
    const mo = epw.month[r]!, d = epw.day[r]!;
    if (mo === 2 && d === 29) {
      leapRows++;
      continue;
    }
    const k = (MONTH_START[mo - 1]! + d - 1) * 24 + (epw.hour[r]! - 1);
    if (!Number.isNaN(temp[k]!)) {
      dupes++;
      continue;
    }
    temp[k] = epw.tempC[r]!;
    ghi[k] = epw.ghiWm2[r]!;
  }
  const note = (kind: string, message: string, timeMs?: number) => issues.push({ file, line: null, kind, message, ...(timeMs !== undefined ? { timeMs } : {}) });
  if (leapRows > 0) note("leap-day-dropped", `${leapRows} row(s) for Feb 29 ignored: a typical year has 365 days`);
  if (dupes > 0) note("duplicate-row", `${dupes} row(s) repeat an earlier month/day/hour; the first was kept`);
  let missing = 0;
  for (const v of temp) if (Number.isNaN(v)) missing++;
  if (missing === slots) throw new InputError(file, "data", "hourly rows for a typical year");
  if (missing > 0) {
    note("missing-hour", `${missing} hour(s) of the typical year have no row; filled by linear interpolation`);
    fillGapsLinear(temp);
    fillGapsLinear(ghi);
  }

  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  if (leap) note("synthesised-leap-day", `${year} is a leap year: Feb 29 repeats the typical year's Feb 28`, Date.UTC(year, 1, 29));
  const n = (leap ? 366 : 365) * 24;
  const startMs = Date.UTC(year, 0, 1);
  const tz = epw.location.tzOffsetHours;
  const tzWhole = Math.floor(tz);
  const frac = tz - tzWhole; // 0 for whole-hour zones
  const outT = new Float64Array(n), outG = new Float64Array(n);

  const slotOf = (localHourStartMs: number): number => {
    const dt = new Date(localHourStartMs);
    // Only month/day/hour matter, so a local time in year−1 or year+1 wraps naturally.
    const mo = dt.getUTCMonth() + 1;
    const d = mo === 2 && dt.getUTCDate() === 29 ? 28 : dt.getUTCDate();
    return (MONTH_START[mo - 1]! + d - 1) * 24 + dt.getUTCHours();
  };
  for (let i = 0; i < n; i++) {
    const localMs = startMs + i * HOUR_MS + tzWhole * HOUR_MS;
    const a = slotOf(localMs);
    if (frac === 0) {
      outT[i] = temp[a]!;
      outG[i] = ghi[a]!;
    } else {
      const b = slotOf(localMs + HOUR_MS);
      outT[i] = (1 - frac) * temp[a]! + frac * temp[b]!;
      outG[i] = (1 - frac) * ghi[a]! + frac * ghi[b]!;
    }
  }
  return {
    temp: { startMs, stepS: 3600, values: outT, unit: "°C" },
    ghi: { startMs, stepS: 3600, values: outG, unit: "W/m2" },
    issues,
  };
}

/** Reads and parses an EPW file; a missing file is an InputError naming it. */
export const loadEpwFile: (path: string) => EpwData = fileLoader(parseEpw);

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alignEpwToYear, loadEpwFile, parseEpw } from "./epw.ts";
import { inputErrorMessage as err } from "./test-helpers.ts";

const REAL = fileURLToPath(new URL("../../simulations/data/weather-brussels-uccle-tmyx.epw", import.meta.url));
const HOUR = 3_600_000;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A synthetic EPW: temp encodes month/day/hour (m + d/100 + h/10000, below the 99.9 missing code), GHI = hour. */
function synthEpw(opts: { tz?: number; year?: (m: number) => number; edit?: (rows: string[]) => void } = {}): string {
  const header = [
    `LOCATION,Testville,ST,XX,SRC,000000,48.85,2.35,${(opts.tz ?? 1).toFixed(1)},35.0`,
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,synthetic",
    "COMMENTS 2,synthetic",
    "DATA PERIODS,1,1,Data,Sunday,1/ 1,12/31",
  ];
  const rows: string[] = [];
  for (let m = 1; m <= 12; m++)
    for (let d = 1; d <= DAYS[m - 1]!; d++)
      for (let h = 1; h <= 24; h++) {
        const y = opts.year ? opts.year(m) : 2001;
        rows.push(`${y},${m},${d},${h},60,A7A7,${(m + d / 100 + h / 10000).toFixed(4)},1.0,80,101325,0,0,300,${h},0,0`);
      }
  opts.edit?.(rows);
  return [...header, ...rows].join("\n") + "\n";
}
const code = (m: number, d: number, h: number) => Number((m + d / 100 + h / 10000).toFixed(4));

describe("parseEpw on the real Uccle TMYx file", () => {
  const epw = loadEpwFile(REAL);

  it("reads 8760 rows and the location", () => {
    expect(epw.rows).toBe(8760);
    expect(epw.location).toEqual({ city: "Uccle", latitudeDeg: 50.7969, longitudeDeg: 4.3581, tzOffsetHours: 1, elevationM: 101 });
    expect(epw.issues).toEqual([]);
  });

  it("reproduces the published dry-bulb and GHI statistics", () => {
    let sum = 0, min = Infinity, max = -Infinity, ghi = 0;
    for (let i = 0; i < epw.rows; i++) {
      sum += epw.tempC[i]!;
      min = Math.min(min, epw.tempC[i]!);
      max = Math.max(max, epw.tempC[i]!);
      ghi += epw.ghiWm2[i]!; // W/m² over one hour = Wh/m²
    }
    expect(min).toBe(-4.8);
    expect(max).toBe(33.6);
    expect(Math.abs(sum / epw.rows - 11.09)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(ghi / 1000 - 1114)).toBeLessThanOrEqual(2);
  });

  it("aligns to 2023 (8760 h) and 2024 (8784 h, Feb 29 reported as synthesised)", () => {
    const a = alignEpwToYear(epw, 2023);
    expect(a.temp.values.length).toBe(8760);
    expect(a.ghi.values.length).toBe(8760);
    expect(a.temp.startMs).toBe(Date.UTC(2023, 0, 1));
    expect(a.issues).toEqual([]);
    const b = alignEpwToYear(epw, 2024);
    expect(b.temp.values.length).toBe(8784);
    expect(b.issues).toEqual([expect.objectContaining({ kind: "synthesised-leap-day" })]);
  });

  it("2023-07-01 12:00 local standard time (11:00Z) is the file row 7/1 hour 13", () => {
    const a = alignEpwToYear(epw, 2023);
    const i = (Date.UTC(2023, 6, 1, 11) - a.temp.startMs) / HOUR;
    const r = [...Array(epw.rows).keys()].find((k) => epw.month[k] === 7 && epw.day[k] === 1 && epw.hour[k] === 13)!;
    expect(a.temp.values[i]).toBe(epw.tempC[r]);
    expect(a.ghi.values[i]).toBe(epw.ghiWm2[r]);
    expect(a.ghi.values[i]).toBeGreaterThan(0); // midday in July: the sun is up
  });

  it("does not let the file's stated years (2019, 2016, 2012, …) leak into timestamps", () => {
    const text = readFileSync(REAL, "utf8");
    const rewritten = text.replace(/^\d{4},/gm, "1999,");
    expect(rewritten).not.toBe(text);
    const a = alignEpwToYear(epw, 2023);
    const b = alignEpwToYear(parseEpw(rewritten, "rewritten.epw"), 2023);
    expect(b.temp.values).toEqual(a.temp.values);
    expect(b.ghi.values).toEqual(a.ghi.values);
    // Dec 31 rows come from 2012 in the file, yet land on 2023-12-31.
    const last = alignEpwToYear(epw, 2023).temp;
    const i = (Date.UTC(2023, 11, 31, 10) - last.startMs) / HOUR; // 11:00 local → hour ending 12
    const r = epw.rows - 24 + 11;
    expect([epw.month[r], epw.day[r], epw.hour[r]]).toEqual([12, 31, 12]);
    expect(last.values[i]).toBe(epw.tempC[r]);
  });
});

describe("parseEpw / alignEpwToYear on synthetic files", () => {
  it("tz +1: the first UTC hour is local 01:00–02:00 (hour 2); the last wraps to 1/1 hour 1", () => {
    const { temp, ghi } = alignEpwToYear(parseEpw(synthEpw(), "s.epw"), 2023);
    expect(temp.values[0]).toBe(code(1, 1, 2));
    expect(ghi.values[0]).toBe(2);
    expect(temp.values[8759]).toBe(code(1, 1, 1));
  });

  it("tz −5: the first UTC hours come from the last rows of the file (Dec 31)", () => {
    const { temp } = alignEpwToYear(parseEpw(synthEpw({ tz: -5 }), "s.epw"), 2023);
    expect(temp.values[0]).toBe(code(12, 31, 20)); // local Dec 31 19:00–20:00
    expect(temp.values[4]).toBe(code(12, 31, 24));
    expect(temp.values[5]).toBe(code(1, 1, 1));
  });

  it("tz +5.5 blends the two local hours a UTC hour overlaps", () => {
    const { ghi } = alignEpwToYear(parseEpw(synthEpw({ tz: 5.5 }), "s.epw"), 2023);
    // UTC 00:00–01:00 = local 05:30–06:30: half of hour-ending 6, half of hour-ending 7.
    expect(ghi.values[0]).toBeCloseTo(6.5, 12);
  });

  it("a leap target year repeats Feb 28 for Feb 29", () => {
    const { temp, issues } = alignEpwToYear(parseEpw(synthEpw(), "s.epw"), 2024);
    const feb28 = (Date.UTC(2024, 1, 28) - Date.UTC(2024, 0, 1)) / HOUR;
    // Local (UTC+1) Feb 29 00:00–24:00 is UTC Feb 28 23:00 – Feb 29 23:00.
    expect(temp.values.slice(feb28 + 23, feb28 + 47)).toEqual(temp.values.slice(feb28 - 1, feb28 + 23));
    expect(temp.values[feb28 + 23]).toBe(code(2, 28, 1));
    expect(temp.values[feb28 + 47]).toBe(code(3, 1, 1)); // 23:00Z Feb 29 = 00:00 local Mar 1
    expect(issues.map((i) => i.kind)).toEqual(["synthesised-leap-day"]);
  });

  it("reports missing-value codes (99.9, 9999) and interpolates them", () => {
    const text = synthEpw({
      edit: (rows) => {
        rows[100] = rows[100]!.replace(/,A7A7,[^,]+,/, ",A7A7,99.9,");
        rows[101] = rows[101]!.replace(/,A7A7,[^,]+,/, ",A7A7,99.9,");
        rows[200] = rows[200]!.replace(/,300,\d+,/, ",300,9999,");
      },
    });
    const epw = parseEpw(text, "s.epw");
    expect(epw.tempC[100]).toBeCloseTo(epw.tempC[99]! + (epw.tempC[102]! - epw.tempC[99]!) / 3, 12);
    expect(epw.ghiWm2[200]).toBe((epw.ghiWm2[199]! + epw.ghiWm2[201]!) / 2);
    expect(epw.issues.map((i) => [i.line, i.kind])).toEqual([
      [109, "missing-value"],
      [209, "missing-value"],
    ]);
    expect(epw.issues[0]!.message).toContain("2 row(s)");
  });

  it("reports missing hours and duplicate rows at alignment", () => {
    const text = synthEpw({ edit: (rows) => (rows[5] = rows[4]!) });
    const { issues } = alignEpwToYear(parseEpw(text, "s.epw"), 2023);
    expect(issues.map((i) => i.kind).sort()).toEqual(["duplicate-row", "missing-hour"]);
  });

  it("accepts CRLF and a BOM", () => {
    const epw = parseEpw("\uFEFF" + synthEpw().replace(/\n/g, "\r\n"), "s.epw");
    expect(epw.rows).toBe(8760);
    expect(epw.location.city).toBe("Testville");
  });

  describe("errors", () => {
    it("rejects a file without a LOCATION line", () => {
      expect(err(() => parseEpw("year,month\n1,2\n", "w.epw"))).toMatch(/^w\.epw: line 1: expected an EPW LOCATION line/);
    });
    it("names a bad dry-bulb with its line and field", () => {
      const text = synthEpw({ edit: (rows) => (rows[0] = rows[0]!.replace(/,A7A7,[^,]+,/, ",A7A7,warm,")) });
      expect(err(() => parseEpw(text, "w.epw"))).toBe("w.epw: line 9 field 7 (dry-bulb °C): expected a number (got 'warm')");
    });
    it("rejects an hour outside 1..24 and a short row", () => {
      const bad = synthEpw({ edit: (rows) => (rows[0] = rows[0]!.replace(/^2001,1,1,1,/, "2001,1,1,0,")) });
      expect(err(() => parseEpw(bad, "w.epw"))).toMatch(/line 9 field 4 \(hour\): expected an hour-ending integer 1\.\.24/);
      const short = synthEpw({ edit: (rows) => (rows[3] = "2001,1,1,4,60") });
      expect(err(() => parseEpw(short, "w.epw"))).toMatch(/line 12: expected at least 14 comma-separated fields/);
    });
    it("rejects a header-only file and names a missing file", () => {
      expect(err(() => parseEpw(synthEpw().split("\n").slice(0, 8).join("\n"), "w.epw"))).toMatch(/data rows after the 8 header lines/);
      expect(err(() => loadEpwFile("/no/such.epw"))).toBe("/no/such.epw: expected an existing readable file (no such file)");
    });
  });
});

import { describe, expect, it } from "vitest";
import { parseDropFile, type DropProblem } from "./drop-file.ts";
import { accepted, cellsOf, file, problems } from "./drop-file-fixture.ts";

const ENTSOE = "MTU (CET/CEST),Day-ahead Price [EUR/MWh]";
/** Each problem names the file in its message, and the line where it has one. */
function expectNamed(ps: DropProblem[], name: string): void {
  for (const p of ps) {
    expect(p.file).toBe(name);
    expect(p.message.startsWith(`${name}: `)).toBe(true);
    if (p.line !== undefined) expect(p.message).toContain(`line ${p.line}`);
  }
}

/** A synthetic EPW typical year (tz +1): dry-bulb = month + day/100, GHI = 10 × hour; `edit` changes its data rows. */
function epwText(edit?: (rows: string[]) => void): string {
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const header = ["LOCATION,Paris,IDF,FRA,SRC,071560,48.82,2.34,1.0,75.0", ...["DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0"],
    ...["HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,test", "COMMENTS 2,test", "DATA PERIODS,1,1,Data,Sunday,1/ 1,12/31"]];
  const rows: string[] = [];
  for (let m = 1; m <= 12; m++)
    for (let d = 1; d <= days[m - 1]!; d++)
      for (let h = 1; h <= 24; h++) rows.push(`2005,${m},${d},${h},60,A7,${(m + d / 100).toFixed(2)},1.0,80,101325,0,0,300,${10 * h},0,0`);
  edit?.(rows);
  return [...header, ...rows].join("\n") + "\n";
}

describe("parseDropFile: ENTSO-E day-ahead exports", () => {
  it("accepts a good export: local labels placed in UTC, prices as written", () => {
    const rows = ["02.01.2023 00:00 - 02.01.2023 01:00,41.5", "02.01.2023 01:00 - 02.01.2023 02:00,-3.25", "02.01.2023 02:00 - 02.01.2023 03:00,0"];
    const r = accepted(parseDropFile(file(ENTSOE, rows), "p.csv"));
    expect(r.kind).toBe("entsoe");
    // 00:00 CET on 2 January is 23:00 UTC on the 1st.
    expect(r.series.price_el_eur_mwh).toEqual({ startMs: Date.UTC(2023, 0, 1, 23), stepS: 3600, values: cellsOf(rows) });
    expect(r.coverage).toEqual({ fromMs: Date.UTC(2023, 0, 1, 23), toMs: Date.UTC(2023, 0, 2, 2) });
  });

  it("rejects an autumn day with a single 02:00 row: the CET hour is missing", () => {
    const h = (a: string, b: string, p: number) => `29.10.2023 ${a} - 29.10.2023 ${b},${p}`;
    const ps = problems(parseDropFile(file(ENTSOE, [h("01:00", "02:00", 1), h("02:00", "03:00", 2), h("03:00", "04:00", 3)]), "p.csv"));
    expect(ps.map((p) => [p.line, p.message])).toEqual([[4, expect.stringMatching(/^p\.csv: line 4: daylight-saving flaw \(hole\): no row for 2023-10-29T01:00Z/)]]);
  });

  it("tolerates a file spanning the switch to 15-min MTU (each hourly price holds for its quarters), and (CET)/(CEST) markers", () => {
    const rows = ["30.09.2025 23:00 - 01.10.2025 00:00,8", "01.10.2025 00:00 - 01.10.2025 00:15,1", "01.10.2025 00:15 - 01.10.2025 00:30,2"];
    expect(accepted(parseDropFile(file(ENTSOE, rows), "p.csv")).series.price_el_eur_mwh).toEqual({ startMs: Date.UTC(2025, 8, 30, 21), stepS: 900, values: [8, 8, 8, 8, 1, 2] });
    const marked = ["26.10.2025 02:00 - 26.10.2025 03:00 (CET),3", "26.10.2025 02:00 - 26.10.2025 03:00 (CEST),2"];
    expect(problems(parseDropFile(file(ENTSOE, marked), "m.csv"))[0]!.message).toMatch(/^m\.csv: line 3: time goes backwards: '26\.10\.2025 02:00 - 26\.10\.2025 03:00 \(CEST\)'/);
  });

  it("rejects a row that goes back in time, an empty price and an out-of-range price, each by line", () => {
    const d = (h: number, p: string) => `02.01.2023 0${h}:00 - 02.01.2023 0${h + 1}:00,${p}`;
    const ps = problems(parseDropFile(file(ENTSOE, [d(0, "1"), d(1, "2"), d(3, "12000"), d(2, "-"), d(4, "5")]), "p.csv"));
    expectNamed(ps, "p.csv");
    expect(ps.map((p) => p.line)).toEqual([4, 5, 5]);
    expect(ps[0]!.message).toBe("p.csv: line 4: price_el_eur_mwh 12000 is out of range: expected -10000 to 10000 EUR/MWh");
    expect(ps.map((p) => p.message).join("\n")).toMatch(/line 5: time goes backwards: '02\.01\.2023 02:00 - 02\.01\.2023 03:00' after '02\.01\.2023 03:00/);
    expect(ps.map((p) => p.message).join("\n")).toMatch(/line 5: missing value: no price/);
  });

  it("rejects a malformed row with one problem naming line and column", () => {
    const ps = problems(parseDropFile(file(ENTSOE, ["02.01.2023 00:00 - 02.01.2023 01:00,1", "02.01.2023 01:00 - 02.01.2023 02:00,abc"]), "p.csv"));
    expect(ps).toEqual([{ file: "p.csv", line: 3, message: "p.csv: line 3 column 'Day-ahead Price [EUR/MWh]': expected a number (got 'abc')" }]);
  });
});

describe("parseDropFile: EPW typical years", () => {
  const NOW = Date.UTC(2026, 5, 15, 8);

  it("refuses an EPW without the current time (it cannot be placed on a year)", () => {
    expect(problems(parseDropFile(epwText(), "w.epw"))[0]!.message).toMatch(/^w\.epw: an EPW typical year is placed on the current year/);
  });

  it("rejects a missing hour, a repeated hour, a row going back, a missing-value code and an out-of-range temperature, by line", () => {
    // Data row r is on line r + 9 (8 header lines).
    // Edited from the last row back, so each edit's index is the original row's (row r on line r + 9).
    const text = epwText((rows) => {
      rows[500] = rows[500]!.replace(/,A7,[^,]+,/, ",A7,75.0,");
      rows[400] = rows[400]!.replace(/,A7,[^,]+,/, ",A7,99.9,"); // the EPW missing-value code
      [rows[300], rows[301]] = [rows[301]!, rows[300]!]; // 1/13 hours 13 and 14 swapped
      rows.splice(200, 0, rows[199]!); // 1/9 hour 8 twice
      rows.splice(100, 1); // 1/5 hour 5 gone (the dup above brings later rows back to their lines)
    });
    const ps = problems(parseDropFile(text, "w.epw", { nowMs: NOW }));
    expectNamed(ps, "w.epw");
    expect(ps.map((p) => p.message)).toEqual([
      "w.epw: line 109: hole: no rows from 1/5 hour 5 up to 1/5 hour 6",
      "w.epw: line 208: repeated time: 1/9 hour 8 repeats line 207",
      "w.epw: line 309: hole: no rows from 1/13 hour 13 up to 1/13 hour 14",
      "w.epw: line 310: time goes backwards: 1/13 hour 13 after 1/13 hour 14 (line 309)",
      "w.epw: line 409: missing value: dry-bulb temperature missing (99.9) for 1 row(s)",
      "w.epw: … and 1 more problem", // line 509: 75 °C
    ]);
  });

  it("rejects a year that stops short", () => {
    const ps = problems(parseDropFile(epwText((rows) => rows.splice(8000)), "w.epw", { nowMs: NOW }));
    expect(ps.map((p) => p.message)).toEqual(["w.epw: line 8008: hole: the file ends before 11/30 hour 9; a typical year needs every hour up to 12/31 hour 24"]);
  });
});

describe("parseDropFile: time,<quantity> CSVs", () => {
  it("accepts several quantities with local offsets: times in UTC, values as written", () => {
    const rows = ["2026-01-12T00:00:00+01:00,3.5,0", "2026-01-12T01:00:00+01:00,3.25,0", "2026-01-12T02:00:00+01:00,2.75,12.5"];
    const r = accepted(parseDropFile(file("time,outdoor_temp_c,solar_w_m2", rows), "w.csv"));
    expect(r.kind).toBe("csv");
    expect(r.series.outdoor_temp_c).toEqual({ startMs: Date.UTC(2026, 0, 11, 23), stepS: 3600, values: cellsOf(rows, 1) });
    expect(r.series.solar_w_m2!.values).toEqual(cellsOf(rows, 2));
    expect(r.coverage).toEqual({ fromMs: Date.UTC(2026, 0, 11, 23), toMs: Date.UTC(2026, 0, 12, 2) });
  });

  it("accepts a correct autumn clock change (02:00 twice, +02:00 then +01:00) and 15-min prices in UTC", () => {
    const rows = ["2026-10-25T01:00+02:00,1", "2026-10-25T02:00+02:00,2", "2026-10-25T02:00+01:00,3", "2026-10-25T03:00+01:00,4"];
    expect(accepted(parseDropFile(file("time,outdoor_temp_c", rows), "t.csv")).series.outdoor_temp_c).toEqual({
      startMs: Date.UTC(2026, 9, 24, 23), stepS: 3600, values: cellsOf(rows),
    });
    const q = ["2026-01-12T00:00Z,50", "2026-01-12T00:15Z,51.5", "2026-01-12T00:30Z,-2"];
    expect(accepted(parseDropFile(file("time,price_el_eur_mwh", q), "p.csv")).series.price_el_eur_mwh).toEqual({ startMs: Date.UTC(2026, 0, 12), stepS: 900, values: cellsOf(q) });
  });

  it("rejects 02:00+02:00 written twice on the last Sunday of October (a DST flaw: repeat and hole)", () => {
    const rows = ["2026-10-25T01:00+02:00,1", "2026-10-25T02:00+02:00,2", "2026-10-25T02:00+02:00,3", "2026-10-25T03:00+01:00,4"];
    const ps = problems(parseDropFile(file("time,outdoor_temp_c", rows), "t.csv"));
    expect(ps.map((p) => p.message)).toEqual([
      "t.csv: line 4: daylight-saving flaw (repeated time): repeats the time of line 3",
      "t.csv: line 5: daylight-saving flaw (hole): no row for 2026-10-25T01:00Z – 2026-10-25T02:00Z (1 step(s))",
    ]);
  });

  it("rejects a March file written on a fixed +01:00 clock that skips 02:00 (a DST flaw: hole)", () => {
    const rows = ["2026-03-29T00:00+01:00,1", "2026-03-29T01:00+01:00,2", "2026-03-29T03:00+01:00,3", "2026-03-29T04:00+01:00,4"];
    const ps = problems(parseDropFile(file("time,price_el_eur_mwh", rows), "p.csv"));
    expect(ps).toEqual([{ file: "p.csv", line: 4, message: expect.stringMatching(/^p\.csv: line 4: daylight-saving flaw \(hole\): no row for 2026-03-29T01:00Z/) }]);
  });

  it("rejects a hole, a row going back and out-of-range values, each by line", () => {
    // A hole at a clock change in a UTC file is a hole, not a daylight-saving flaw: the writer's clock had none.
    const hole = ["2026-03-29T00:00Z,1", "2026-03-29T01:00Z,2", "2026-03-29T04:00Z,3"];
    expect(problems(parseDropFile(file("time,outdoor_temp_c", hole), "h.csv")).map((p) => p.message)).toEqual([
      "h.csv: line 4: hole: no row for 2026-03-29T02:00Z – 2026-03-29T04:00Z (2 step(s))",
    ]);
    const back = ["00:00Z,1,0", "01:00Z,2,0", "02:00Z,3,0", "04:00Z,75,0", "03:00Z,3,-5", "05:00Z,4,0"].map((r) => `2026-01-12T${r}`);
    expect(problems(parseDropFile(file("time,outdoor_temp_c,solar_w_m2", back), "b.csv")).map((p) => p.message)).toEqual([
      "b.csv: line 5: outdoor_temp_c 75 is out of range: expected -50 to 60 °C",
      "b.csv: line 6: time goes backwards: 2026-01-12T03:00Z is before 2026-01-12T04:00Z (line 5)",
      "b.csv: line 6: solar_w_m2 -5 is out of range: expected 0 to 1500 W/m²",
    ]);
  });

  it("rejects naive times, bad numbers and short rows by line", () => {
    const naive = problems(parseDropFile(file("time,outdoor_temp_c", ["2026-01-12T00:00Z,1", "2026-01-12T01:00,2"]), "n.csv"));
    expect(naive).toEqual([{ file: "n.csv", line: 3, message: expect.stringMatching(/^n\.csv: line 3 column 'time': expected an ISO 8601 time with offset/) }]);
    const bad = problems(parseDropFile(file("time,outdoor_temp_c", ["2026-01-12T00:00Z,1", "2026-01-12T01:00Z,warm"]), "n.csv"));
    expect(bad[0]!.message).toBe("n.csv: line 3 column 'outdoor_temp_c': expected a number (got 'warm')");
    const short = problems(parseDropFile(file("time,outdoor_temp_c,solar_w_m2", ["2026-01-12T00:00Z,1,0", "2026-01-12T01:00Z,2"]), "n.csv"));
    expect(short.map((p) => p.message)).toContain("n.csv: line 3: 2 cell(s) where the header has 3");
  });

  it("rejects an unknown column, naming the header and the accepted names", () => {
    const ps = problems(parseDropFile("time,temperature\n2026-01-12T00:00Z,1\n", "t.csv"));
    expect(ps).toEqual([
      { file: "t.csv", line: 1, message: "t.csv: line 1: unknown column 'temperature' in header 'time,temperature': accepted names after 'time' are price_el_eur_mwh, outdoor_temp_c, solar_w_m2" },
    ]);
  });

  it("lists the first five problems and counts the rest", () => {
    const rows = Array.from({ length: 9 }, (_, h) => `2026-01-12T0${h}:00Z,99`);
    const ps = problems(parseDropFile(file("time,outdoor_temp_c", rows), "t.csv"));
    expect(ps.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, undefined]);
    expect(ps[5]!.message).toBe("t.csv: … and 4 more problems");
  });
});

describe("parseDropFile: anything else", () => {
  it("rejects an empty or unrecognised file, and never throws on garbage", () => {
    expect(problems(parseDropFile("", "e.csv"))[0]!.message).toMatch(/^e\.csv: is empty: expected an ENTSO-E day-ahead export/);
    expect(problems(parseDropFile("<html>oops</html>\n", "x.csv"))[0]!.message).toMatch(/^x\.csv: line 1: not a recognised forecast file: .* \(got '<html>oops<\/html>'\)$/);
    expect(problems(parseDropFile("LOCATION,x\n\u0000\u0001", "g.epw", { nowMs: 0 }))[0]!.message).toMatch(/^g\.epw: line 1: expected an EPW LOCATION line/);
    expect(problems(parseDropFile("MTU (UTC),x\n", "g.csv"))[0]!.message).toMatch(/^g\.csv: header: expected columns 'MTU/);
  });
});

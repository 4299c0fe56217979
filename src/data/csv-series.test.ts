import { describe, expect, it } from "vitest";
import { loadTimeSeriesCsvFile, parseIsoWithOffset, parseTimeSeriesCsv } from "./csv-series.ts";
import { csvText, inputErrorMessage as err } from "./test-helpers.ts";

const csv = (rows: string[], header = "time,heat_kw") => csvText(header, rows);

describe("parseIsoWithOffset", () => {
  it("reads Z and ±hh:mm / ±hhmm / ±hh offsets, seconds and fractions", () => {
    expect(parseIsoWithOffset("2026-01-12T00:00:00+01:00")).toBe(Date.UTC(2026, 0, 11, 23));
    expect(parseIsoWithOffset("2026-01-12T00:00Z")).toBe(Date.UTC(2026, 0, 12));
    expect(parseIsoWithOffset("2026-01-12 00:00:00-0530")).toBe(Date.UTC(2026, 0, 12, 5, 30));
    expect(parseIsoWithOffset("2026-07-01T12:00:00.250+02")).toBe(Date.UTC(2026, 6, 1, 10, 0, 0, 250));
  });
  it("rejects naive and impossible times", () => {
    expect(parseIsoWithOffset("2026-01-12T00:00:00")).toBeNull();
    expect(parseIsoWithOffset("2026-02-30T00:00:00Z")).toBeNull();
    expect(parseIsoWithOffset("2026-01-12T24:00:00Z")).toBeNull();
    expect(parseIsoWithOffset("12.01.2026 00:00")).toBeNull();
  });
});

describe("parseTimeSeriesCsv", () => {
  it("detects a 15-min step across the spring clock change (offsets change, UTC is regular)", () => {
    const rows = ["2026-03-29T01:30:00+01:00,1", "2026-03-29T01:45:00+01:00,2", "2026-03-29T03:00:00+02:00,3", "2026-03-29T03:15:00+02:00,4"];
    const { series, issues } = parseTimeSeriesCsv(csv(rows), "h.csv", "heat_kw", "kW");
    expect(series).toMatchObject({ startMs: Date.UTC(2026, 2, 29, 0, 30), stepS: 900, unit: "kW" });
    expect([...series.values]).toEqual([1, 2, 3, 4]);
    expect(issues).toEqual([]);
  });

  it("picks the named column among several, accepts a BOM and CRLF", () => {
    const text = "\uFEFF" + csv(["2026-01-01T00:00Z,5,1", "2026-01-01T01:00Z,6,2"], "time,temp_c,heat_kw").replace(/\n/g, "\r\n");
    expect([...parseTimeSeriesCsv(text, "h.csv", "heat_kw", "kW").series.values]).toEqual([1, 2]);
  });

  it("reports gaps, empty cells, duplicates, off-grid and out-of-order rows", () => {
    const rows = [
      "2026-01-01T00:00Z,0",
      "2026-01-01T01:00Z,",
      "2026-01-01T01:00Z,9",
      "2026-01-01T02:00Z,20",
      "2026-01-01T02:20Z,99",
      "2026-01-01T05:00Z,50",
      "2026-01-01T04:00Z,40",
    ];
    const { series, issues } = parseTimeSeriesCsv(csv(rows), "h.csv", "heat_kw", "kW");
    expect(series.stepS).toBe(3600);
    expect([...series.values]).toEqual([0, 10, 20, 30, 40, 50]);
    expect(issues.map((i) => [i.line, i.kind])).toEqual([
      [3, "missing-value"],
      [null, "out-of-order"],
      [4, "duplicate-row"],
      [6, "off-grid"],
      [8, "gap"],
    ]);
    expect(issues.find((i) => i.kind === "gap")!.message).toContain("2026-01-01T03:00Z – 2026-01-01T04:00Z (1 step(s))");
  });

  // Its speed is no unit test's business (the machine may be busy): this checks a year of 15-min rows loads whole
  // (no argument spreading that overflows the stack).
  it("loads 35k 15-min rows", () => {
    const start = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: 35040 }, (_, i) => `${new Date(start + i * 900_000).toISOString()},${i % 97}`);
    const { series, issues } = parseTimeSeriesCsv(csv(rows), "big.csv", "heat_kw", "kW");
    expect(series.values.length).toBe(35040);
    expect(issues).toEqual([]);
  });

  describe("errors", () => {
    it("rejects a naive timestamp, naming the line", () => {
      expect(err(() => parseTimeSeriesCsv(csv(["2026-01-12T00:00:00+01:00,1", "2026-01-12T00:15:00,2"]), "h.csv", "heat_kw", "kW"))).toBe(
        "h.csv: line 3 column 'time': expected an ISO 8601 time with offset, e.g. 2026-01-12T00:00:00+01:00 (got '2026-01-12T00:15:00')",
      );
    });
    it("rejects a header without time or without the column", () => {
      expect(err(() => parseTimeSeriesCsv("ts,heat_kw\n", "h.csv", "heat_kw", "kW"))).toBe(
        "h.csv: header: expected columns 'time' and 'heat_kw' (got 'ts,heat_kw')",
      );
      expect(err(() => parseTimeSeriesCsv("time,temp_c\n", "h.csv", "heat_kw", "kW"))).toMatch(/expected columns 'time' and 'heat_kw'/);
    });
    it("rejects a bad number, too few rows, no valid value, and a missing file", () => {
      expect(err(() => parseTimeSeriesCsv(csv(["2026-01-01T00:00Z,1", "2026-01-01T01:00Z,1e"]), "h.csv", "heat_kw", "kW"))).toBe(
        "h.csv: line 3 column 'heat_kw': expected a number (got '1e')",
      );
      expect(err(() => parseTimeSeriesCsv(csv(["2026-01-01T00:00Z,1"]), "h.csv", "heat_kw", "kW"))).toMatch(/at least two rows/);
      expect(err(() => parseTimeSeriesCsv(csv(["2026-01-01T00:00Z,", "2026-01-01T01:00Z,-"]), "h.csv", "heat_kw", "kW"))).toMatch(
        /at least one value/,
      );
      expect(err(() => loadTimeSeriesCsvFile("/no/such.csv", "heat_kw", "kW"))).toBe("/no/such.csv: expected an existing readable file (no such file)");
    });
  });
});

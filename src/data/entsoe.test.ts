import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadEntsoePricesFile, parseEntsoePrices } from "./entsoe.ts";
import { csvText, inputErrorMessage as msg } from "./test-helpers.ts";

const REAL = fileURLToPath(new URL("../../simulations/data/prices-fr-2023-entsoe.csv", import.meta.url));
const HEADER = "MTU (CET/CEST),Day-ahead Price [EUR/MWh]";
const csv = (rows: string[], header = HEADER) => csvText(header, rows);
/** A row "dd.mm.yyyy HH:00 - dd.mm.yyyy HH:MM,price" starting at hour h of `date`. */
const row = (date: string, h: number, price: string, minutes = 60) => {
  const [d, m, y] = date.split(".").map(Number) as [number, number, number];
  const fmt = (ms: number) => {
    const t = new Date(ms);
    const p = (x: number) => String(x).padStart(2, "0");
    return `${p(t.getUTCDate())}.${p(t.getUTCMonth() + 1)}.${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
  };
  const start = Date.UTC(y, m - 1, d, h);
  return `${fmt(start)} - ${fmt(start + minutes * 60_000)},${price}`;
};
const iso = (ms: number) => new Date(ms).toISOString();

describe("parseEntsoePrices on the real 2023 FR export", () => {
  const { series, issues } = loadEntsoePricesFile(REAL);
  const v = series.values;

  it("gives 8760 hourly UTC values starting 2022-12-31T23:00Z", () => {
    expect(v.length).toBe(8760);
    expect(series.stepS).toBe(3600);
    expect(series.unit).toBe("EUR/MWh");
    expect(iso(series.startMs)).toBe("2022-12-31T23:00:00.000Z");
    expect(v[0]).toBe(0); // 01.01.2023 00:00 local
  });

  it("reproduces the published statistics", () => {
    let sum = 0, min = Infinity, max = -Infinity, neg = 0;
    for (const x of v) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
      if (x < 0) neg++;
    }
    expect(Math.abs(sum / v.length - 96.85)).toBeLessThanOrEqual(0.01);
    expect(min).toBe(-134.94);
    expect(max).toBe(276.12);
    expect(neg).toBe(147);
  });

  it("reports exactly one issue: the non-existent spring hour, by line, and drops it", () => {
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2020, kind: "nonexistent-local-time" });
    expect(issues[0]!.message).toContain("26.03.2023 02:00 - 26.03.2023 03:00");
    // 01:00–02:00 CET (00:00Z) is followed directly by 03:00–04:00 CEST (01:00Z): no shift.
    const k = (Date.UTC(2023, 2, 26, 0) - series.startMs) / 3_600_000;
    expect([v[k], v[k + 1]]).toEqual([53.53, 55.86]);
  });

  it("maps the repeated autumn hour to two different UTC hours", () => {
    const k = (Date.UTC(2023, 9, 29, 0) - series.startMs) / 3_600_000; // 02:00 CEST
    expect([v[k - 1], v[k], v[k + 1], v[k + 2]]).toEqual([1.38, 0.02, 0, 0]);
    // Dec 31 23:00 local (22:00Z) is the last value: the year is not shifted.
    expect(v[8759]).toBe(3.64);
  });
});

describe("parseEntsoePrices on small texts", () => {
  it("accepts a BOM and Windows line endings", () => {
    const text = "\uFEFF" + csv([row("01.01.2023", 0, "10"), row("01.01.2023", 1, "-2.5")]).replace(/\n/g, "\r\n");
    const { series, issues } = parseEntsoePrices(text, "p.csv");
    expect([...series.values]).toEqual([10, -2.5]);
    expect(issues).toEqual([]);
  });

  it("maps an autumn 25-hour sequence in order: first repeat CEST, second CET", () => {
    const d = "29.10.2023";
    const rows = [row(d, 0, "0"), row(d, 1, "1"), row(d, 2, "2"), row(d, 2, "3"), row(d, 3, "4")];
    const { series, issues } = parseEntsoePrices(csv(rows), "p.csv");
    expect(iso(series.startMs)).toBe("2023-10-28T22:00:00.000Z");
    expect([...series.values]).toEqual([0, 1, 2, 3, 4]);
    expect(issues).toEqual([]);
  });

  it("honours explicit (CEST)/(CET) markers whatever the row order", () => {
    const rows = ["29.10.2023 02:00 - 29.10.2023 03:00 (CET),3", "29.10.2023 02:00 - 29.10.2023 03:00 (CEST),2"];
    const { series } = parseEntsoePrices(csv(rows), "p.csv");
    expect(iso(series.startMs)).toBe("2023-10-29T00:00:00.000Z");
    expect([...series.values]).toEqual([2, 3]);
  });

  it("reports and drops the non-existent spring hour without shifting what follows", () => {
    const d = "26.03.2023";
    const { series, issues } = parseEntsoePrices(csv([row(d, 1, "1"), row(d, 2, "99"), row(d, 3, "3")]), "p.csv");
    expect([...series.values]).toEqual([1, 3]);
    expect(issues).toEqual([expect.objectContaining({ file: "p.csv", line: 3, kind: "nonexistent-local-time" })]);
  });

  it.each(["-", "", "n/e", "N/A"])("reports an empty price cell %j and interpolates it", (cell) => {
    const d = "02.01.2023";
    const { series, issues } = parseEntsoePrices(csv([row(d, 0, "10"), row(d, 1, cell), row(d, 2, "30")]), "p.csv");
    expect([...series.values]).toEqual([10, 20, 30]);
    expect(issues).toEqual([expect.objectContaining({ line: 3, kind: "missing-value" })]);
  });

  it("reports duplicate rows (identical: dropped; conflicting: first kept)", () => {
    const d = "02.01.2023";
    const rows = [row(d, 0, "10"), row(d, 0, "10"), row(d, 1, "20"), row(d, 1, "25")];
    const { series, issues } = parseEntsoePrices(csv(rows), "p.csv");
    expect([...series.values]).toEqual([10, 20]);
    expect(issues.map((i) => [i.line, i.kind])).toEqual([
      [3, "duplicate-row"],
      [5, "conflicting-duplicate"],
    ]);
  });

  it("reports a gap and fills it by linear interpolation", () => {
    const d = "02.01.2023";
    const { series, issues } = parseEntsoePrices(csv([row(d, 0, "0"), row(d, 3, "30")]), "p.csv");
    expect([...series.values]).toEqual([0, 10, 20, 30]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 3, kind: "gap" });
    expect(issues[0]!.message).toContain("2 step(s)");
  });

  it("accepts the MTU (UTC) header variant without DST logic", () => {
    const d = "26.03.2023";
    const { series, issues } = parseEntsoePrices(csv([row(d, 1, "1"), row(d, 2, "2")], "MTU (UTC),Day-ahead Price [EUR/MWh]"), "p.csv");
    expect(iso(series.startMs)).toBe("2023-03-26T01:00:00.000Z");
    expect([...series.values]).toEqual([1, 2]);
    expect(issues).toEqual([]);
  });

  it("accepts quoted cells and extra columns of newer exports", () => {
    const text = `"MTU (CET/CEST)","Day-ahead Price [EUR/MWh]","Currency","BZN|FR"\n"02.01.2023 00:00 - 02.01.2023 01:00","12.5","EUR",""\n`;
    expect([...parseEntsoePrices(text, "p.csv").series.values]).toEqual([12.5]);
  });

  it("supports 15-min MTUs (stepS 900)", () => {
    const rows = ["01.10.2025 00:00 - 01.10.2025 00:15,1", "01.10.2025 00:15 - 01.10.2025 00:30,2", "01.10.2025 00:30 - 01.10.2025 00:45,3"];
    const { series, issues } = parseEntsoePrices(csv(rows), "p.csv");
    expect(series.stepS).toBe(900);
    expect(iso(series.startMs)).toBe("2025-09-30T22:00:00.000Z");
    expect([...series.values]).toEqual([1, 2, 3]);
    expect(issues).toEqual([]);
  });

  it("reports a file mixing 60- and 15-min MTUs and repeats the hourly price per quarter", () => {
    const rows = [row("30.09.2025", 23, "8"), "01.10.2025 00:00 - 01.10.2025 00:15,1"];
    const { series, issues } = parseEntsoePrices(csv(rows), "p.csv");
    expect(series.stepS).toBe(900);
    expect([...series.values]).toEqual([8, 8, 8, 8, 1]);
    expect(issues).toEqual([expect.objectContaining({ line: 2, kind: "mixed-mtu" })]);
  });

  describe("errors", () => {
    it("names a bad number with its line and column", () => {
      const text = csv([row("02.01.2023", 0, "1"), row("02.01.2023", 1, "abc")]);
      expect(msg(() => parseEntsoePrices(text, "prices.csv"))).toBe(
        "prices.csv: line 3 column 'Day-ahead Price [EUR/MWh]': expected a number (got 'abc')",
      );
    });

    it("rejects an unknown header", () => {
      expect(msg(() => parseEntsoePrices("time,price\n2023-01-01,1\n", "p.csv"))).toMatch(/^p\.csv: header: expected columns 'MTU \(CET\/CEST\)'/);
    });

    it("rejects a malformed or impossible MTU", () => {
      expect(msg(() => parseEntsoePrices(csv(["2023-01-02 00:00,1"]), "p.csv"))).toMatch(/line 2 column 'MTU \(CET\/CEST\)': expected an interval/);
      expect(msg(() => parseEntsoePrices(csv(["31.02.2023 00:00 - 31.02.2023 01:00,1"]), "p.csv"))).toMatch(/line 2/);
    });

    it("rejects an MTU that is neither 15 nor 60 minutes", () => {
      expect(msg(() => parseEntsoePrices(csv(["02.01.2023 00:00 - 02.01.2023 00:30,1"]), "p.csv"))).toMatch(/expected an MTU of 15 or 60 minutes \(got 30 min/);
    });

    it("rejects an empty file and a file with only empty cells", () => {
      expect(msg(() => parseEntsoePrices("", "p.csv"))).toMatch(/empty file/);
      expect(msg(() => parseEntsoePrices(csv([row("02.01.2023", 0, "-")]), "p.csv"))).toMatch(/at least one price/);
    });

    it("names a missing file", () => {
      expect(msg(() => loadEntsoePricesFile("/no/such/prices.csv"))).toBe("/no/such/prices.csv: expected an existing readable file (no such file)");
    });
  });
});

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDhDemandFile, parseDhDemandCsv, shapeToYear } from "./dh-demand.ts";
import type { RegularSeries } from "./series.ts";
import { csvText, inputErrorMessage as err } from "./test-helpers.ts";

const REAL = fileURLToPath(new URL("../../simulations/data/dh-sonderborg-2019.csv", import.meta.url));
const HOUR = 3_600_000;
const HEADER = "date;heat_demand;temp_feed_flow;temp_back_flow;el_spot_price";
const csv = (rows: string[]) => csvText(HEADER, rows);
const stats = (v: Float64Array) => {
  let sum = 0, min = Infinity, max = -Infinity;
  for (const x of v) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { min, mean: sum / v.length, max, sum };
};

describe("parseDhDemandCsv on the real Sønderborg 2019 file", () => {
  const r = loadDhDemandFile(REAL);

  it("gives 8760 hourly rows on a fixed UTC+1 clock, no issues", () => {
    expect(r.demand.values.length).toBe(8760);
    expect(r.demand.stepS).toBe(3600);
    expect(r.demand.unit).toBe("kW");
    expect(new Date(r.demand.startMs).toISOString()).toBe("2018-12-31T23:00:00.000Z");
    expect(r.supplyTempC.values[0]).toBe(67);
    expect(r.returnTempC.values[0]).toBe(37);
    expect(r.issues).toEqual([]);
  });

  it("converts MW to kW once: 510 / 2490 / 8070 kW (±5), ≈ 21.8 GWh/yr", () => {
    const s = stats(r.demand.values);
    expect(Math.abs(s.min - 510)).toBeLessThanOrEqual(5);
    expect(Math.abs(s.mean - 2490)).toBeLessThanOrEqual(5);
    expect(Math.abs(s.max - 8070)).toBeLessThanOrEqual(5);
    expect(s.sum / 1e6).toBeCloseTo(21.8, 1); // kWh → GWh
  });

  it("shaped to 2023: full year, mean hit exactly, weekday and hour preserved", () => {
    const shaped = shapeToYear(r.demand, 2023, { meanKw: 1500 });
    expect(shaped.values.length).toBe(8760);
    expect(shaped.startMs).toBe(Date.UTC(2023, 0, 1));
    expect(stats(shaped.values).mean).toBeCloseTo(1500, 9);
    // Every shaped hour is the source hour on the same UTC weekday and hour, times one scale.
    // 2023-01-01 (a Sunday) maps to Sunday 2019-12-29: that pair gives the exact scale.
    const src = r.demand.values;
    const exact = shaped.values[0]! / src[(Date.UTC(2019, 11, 29) - r.demand.startMs) / HOUR]!;
    const ratio = (i: number, k: number) => shaped.values[i]! / src[k]!;
    for (let i = 0; i < 8760; i += 97) {
      const t = Date.UTC(2023, 0, 1) + i * HOUR;
      const wd = new Date(t).getUTCDay();
      const candidates: number[] = [];
      for (let k = 0; k < src.length; k++) {
        const ts = r.demand.startMs + k * HOUR;
        if (new Date(ts).getUTCDay() === wd && new Date(ts).getUTCHours() === new Date(t).getUTCHours()) candidates.push(k);
      }
      expect(candidates.some((k) => Math.abs(ratio(i, k) - exact) < 1e-9)).toBe(true);
    }
  });
});

describe("parseDhDemandCsv on small texts", () => {
  const rows = ["01.01.2019 00:00;3;67;37;28.3", "01.01.2019 01:00;2.5;68;38;10", "01.01.2019 02:00;2;69;39;5"];

  it("converts MW → kW, reads temperatures, and puts the fixed UTC+1 clock on UTC", () => {
    const r = parseDhDemandCsv(csv(rows), "dh.csv");
    expect([...r.demand.values]).toEqual([3000, 2500, 2000]);
    expect([...r.supplyTempC.values]).toEqual([67, 68, 69]);
    expect([...r.returnTempC.values]).toEqual([37, 38, 39]);
    expect(r.demand.startMs).toBe(Date.UTC(2018, 11, 31, 23));
    expect(parseDhDemandCsv(csv(rows), "dh.csv", { utcOffsetHours: 0 }).demand.startMs).toBe(Date.UTC(2019, 0, 1));
  });

  it("accepts a BOM, CRLF and decimal commas", () => {
    const text = "\uFEFF" + csv(rows.map((r) => r.replace("2.5", "2,5"))).replace(/\n/g, "\r\n");
    expect([...parseDhDemandCsv(text, "dh.csv").demand.values]).toEqual([3000, 2500, 2000]);
  });

  it("reports empty cells, duplicates and gaps, and fills them linearly", () => {
    const text = csv([rows[0]!, rows[0]!, "01.01.2019 01:00;;68;38;1", "01.01.2019 03:00;1;70;40;1"]);
    const r = parseDhDemandCsv(text, "dh.csv");
    expect([...r.demand.values]).toEqual([3000, 2000 + 1000 / 3, 1000 + 2000 / 3, 1000].map((x) => expect.closeTo(x, 9)));
    expect(r.issues.map((i) => [i.line, i.kind])).toEqual([
      [4, "missing-value"],
      [3, "duplicate-row"],
      [5, "gap"],
    ]);
  });

  it("names the EU clock change when a wall-clock file skips or repeats 02:00", () => {
    const spring = csv(["31.03.2019 00:00;1;67;37;1", "31.03.2019 01:00;1;67;37;1", "31.03.2019 03:00;1;67;37;1"]);
    expect(parseDhDemandCsv(spring, "dh.csv").issues[0]!.message).toMatch(/clock-change/);
    const autumn = csv(["27.10.2019 01:00;1;67;37;1", "27.10.2019 02:00;1;67;37;1", "27.10.2019 02:00;1;67;37;1"]);
    expect(parseDhDemandCsv(autumn, "dh.csv").issues[0]).toMatchObject({ kind: "duplicate-row", line: 4 });
    expect(parseDhDemandCsv(autumn, "dh.csv").issues[0]!.message).toMatch(/clock-change/);
  });

  it("throws InputErrors for wrong input", () => {
    expect(err(() => parseDhDemandCsv("date,heat_demand\n", "dh.csv"))).toMatch(
      /^dh\.csv: header: expected a ';'-separated header with columns date, heat_demand, temp_feed_flow, temp_back_flow \(missing/,
    );
    expect(err(() => parseDhDemandCsv(csv(["2019-01-01 00:00;1;2;3;4", rows[1]!]), "dh.csv"))).toBe(
      "dh.csv: line 2 column 'date': expected a date 'dd.mm.yyyy HH:MM' (got '2019-01-01 00:00')",
    );
    expect(err(() => parseDhDemandCsv(csv(["30.02.2019 00:00;1;2;3;4", rows[1]!]), "dh.csv"))).toMatch(/line 2 column 'date'/);
    expect(err(() => parseDhDemandCsv(csv([rows[0]!, "01.01.2019 01:00;lots;68;38;1"]), "dh.csv"))).toBe(
      "dh.csv: line 3 column 'heat_demand': expected a number (got 'lots')",
    );
    expect(err(() => parseDhDemandCsv(csv([rows[0]!]), "dh.csv"))).toMatch(/at least two data rows/);
    expect(err(() => loadDhDemandFile("/no/such/dh.csv"))).toBe("/no/such/dh.csv: expected an existing readable file (no such file)");
  });
});

describe("shapeToYear", () => {
  /** 2019, hourly UTC, value encodes weekday and hour: 100 + 24·weekday + hour. */
  const encoded = (): RegularSeries => {
    const startMs = Date.UTC(2019, 0, 1);
    const values = new Float64Array(8760);
    for (let i = 0; i < 8760; i++) {
      const d = new Date(startMs + i * HOUR);
      values[i] = 100 + 24 * d.getUTCDay() + d.getUTCHours();
    }
    return { startMs, stepS: 3600, values, unit: "kW" };
  };

  it.each([2023, 2024, 2026])("maps Monday to Monday for %i (incl. the wrapped ends) and hits the mean", (year) => {
    const out = shapeToYear(encoded(), year, { meanKw: 800 });
    expect(out.values.length).toBe(year === 2024 ? 8784 : 8760);
    const first = new Date(Date.UTC(year, 0, 1));
    const scale = out.values[0]! / (100 + 24 * first.getUTCDay());
    for (let i = 0; i < out.values.length; i++) {
      const d = new Date(out.startMs + i * HOUR);
      expect(Math.round(out.values[i]! / scale)).toBe(100 + 24 * d.getUTCDay() + d.getUTCHours());
    }
    expect(stats(out.values).mean).toBeCloseTo(800, 9);
  });

  it("rejects a non-hourly or too short series and a bad mean", () => {
    const s = encoded();
    expect(err(() => shapeToYear({ ...s, stepS: 900 }, 2023, { meanKw: 1 }))).toMatch(/expected an hourly series/);
    expect(err(() => shapeToYear({ ...s, values: s.values.slice(0, 1000) }, 2023, { meanKw: 1 }))).toMatch(/at least 52 weeks/);
    expect(err(() => shapeToYear(s, 2023, { meanKw: NaN }))).toMatch(/meanKw/);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDropFile } from "../src/forecast/drop-file.ts";
import { HOUR, accepted, cellsOf, file, problems } from "../src/forecast/drop-file-fixture.ts";

/**
 * The drop-folder parser on the real files shipped in simulations/data (read here, so that the parser's unit tests
 * under src/ stay free of I/O): the 2023 ENTSO-E export and the Uccle EPW.
 */
const REAL_PRICES = "simulations/data/prices-fr-2023-entsoe.csv";
const REAL_EPW = "simulations/data/weather-brussels-uccle-tmyx.epw";
describe("parseDropFile on the real ENTSO-E 2023 export", () => {
  it("accepts the real export's 25-hour autumn day: the two 02:00 rows are 00:00Z and 01:00Z", () => {
    const lines = readFileSync(REAL_PRICES, "utf8").split("\n");
    const day = lines.filter((l) => l.startsWith("29.10.2023"));
    expect(day).toHaveLength(25);
    const r = accepted(parseDropFile(file(lines[0]!, day), "oct.csv"));
    const s = r.series.price_el_eur_mwh!;
    expect(s.startMs).toBe(Date.UTC(2023, 9, 28, 22));
    expect(s.values).toEqual(cellsOf(day));
    expect(day[2]!.startsWith("29.10.2023 02:00") && day[3]!.startsWith("29.10.2023 02:00")).toBe(true);
    expect([s.values[2], s.values[3]]).toEqual(cellsOf(day.slice(2, 4)));
  });

  it("rejects the real 2023 export: its row for the spring hour that never was (line 2020) is a daylight-saving flaw", () => {
    const ps = problems(parseDropFile(readFileSync(REAL_PRICES, "utf8"), "prices-fr-2023-entsoe.csv"));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ line: 2020 });
    expect(ps[0]!.message).toMatch(/^prices-fr-2023-entsoe\.csv: line 2020: daylight-saving flaw: '26\.03\.2023 02:00 - 26\.03\.2023 03:00' does not exist/);
  });

});

describe("parseDropFile on the real Uccle EPW", () => {
  const NOW = Date.UTC(2026, 5, 15, 8);

  it("places the real Uccle file on the current year and the next, values as in its rows", () => {
    const text = readFileSync(REAL_EPW, "utf8");
    const r = accepted(parseDropFile(text, "uccle.epw", { nowMs: NOW }));
    expect(r.kind).toBe("epw");
    expect(r.coverage).toEqual({ fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2028, 0, 1) });
    const t = r.series.outdoor_temp_c!, g = r.series.solar_w_m2!;
    expect([t.values.length, g.values.length, t.stepS]).toEqual([2 * 8760, 2 * 8760, 3600]);
    // 1 July 11:00–12:00 UTC is 12:00–13:00 local standard time: the row "7,1,13" (hour ending 13).
    const row = text.split("\n").find((l) => /^\d{4},7,1,13,/.test(l))!.split(",");
    const i = (Date.UTC(2026, 6, 1, 11) - t.startMs) / HOUR;
    expect([t.values[i], g.values[i]]).toEqual([Number(row[6]), Number(row[13])]);
    expect([t.values[i + 8760], g.values[i + 8760]]).toEqual([Number(row[6]), Number(row[13])]); // 2027, same row
  });

});

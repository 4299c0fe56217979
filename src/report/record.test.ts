import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../config/scenario.ts";
import { buildInputs } from "../sim/inputs.ts";
import { runSimulation } from "../sim/engine.ts";
import { createRuleController } from "../control/rule.ts";
import { computeKpis } from "./kpis.ts";
import { writeTimeseriesCsv } from "./timeseries-csv.ts";
import { CsvRecorder, KpiAccumulator, teeRecorder, timeseriesColumns } from "./record.ts";

describe("recorders: the same step records as CSV, as live totals, as the simulator's columns", () => {
  it("a CSV written record by record equals the simulator's timeseries.csv; live totals equal the KPIs", () => {
    const sc = loadScenario("simulations/paris-winter-week-faults.yaml");
    const dir = mkdtempSync(join(tmpdir(), "chaleur-rec-"));
    const csv = new CsvRecorder(join(dir, "streamed.csv"), timeseriesColumns(sc.model));
    const acc = new KpiAccumulator(sc.model);
    const res = runSimulation(sc, buildInputs(sc), createRuleController(sc.model, sc.control.periodS), { recorder: teeRecorder(csv, acc) });
    csv.close();
    writeTimeseriesCsv(res, join(dir, "batch.csv"));
    expect(readFileSync(join(dir, "streamed.csv"), "utf8")).toBe(readFileSync(join(dir, "batch.csv"), "utf8"));
    const k = computeKpis(res);
    expect(acc.heatSoldMwh).toBeCloseTo(k.heat_sold_mwh, 3);
    expect(acc.heatDumpedMwh).toBeCloseTo(k.heat_dumped_mwh, 3);
    expect(acc.heatGreenhouseMwh).toBeCloseTo(k.heat_greenhouse_mwh, 3);
    expect(acc.hpStarts).toBe(k.hp_starts);
    expect(acc.modeMinutes.rule).toBe(k.mode_minutes.rule);
    expect(acc.heatItMwh).toBeCloseTo(k.heat_it_mwh, 3);
  });

  it("a CSV recorder appending to an existing file keeps its rows and writes no second header", () => {
    const sc = loadScenario("simulations/paris-winter-week.yaml");
    const f = join(mkdtempSync(join(tmpdir(), "chaleur-rec-")), "t.csv");
    const cols = timeseriesColumns(sc.model);
    const rec = { timeMs: Date.parse("2026-01-12T00:00:00Z"), durationS: 10, mode: "held" as const, hpStarts: 0, values: { it_heat_kw: 900.12345 } };
    for (let i = 0; i < 2; i++) {
      const w = new CsvRecorder(f, cols);
      w.record(rec);
      w.close();
    }
    const lines = readFileSync(f, "utf8").trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`time,${cols.join(",")},mode`);
    expect(lines[1]).toBe(`2026-01-12T00:00:00Z,900.123${",".repeat(cols.length - 1)},held`);
  });
});

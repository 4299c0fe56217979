import { describe, expect, it } from "vitest";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../config/scenario.ts";
import { buildInputs } from "../sim/inputs.ts";
import { runSimulation } from "../sim/engine.ts";
import { createRuleController } from "../control/rule.ts";
import { computeKpis } from "./kpis.ts";
import { writeTimeseriesCsv } from "./timeseries-csv.ts";
import { KpiAccumulator, teeRecorder, timeseriesColumns, timeseriesCsvHeader, timeseriesCsvLine, type Recorder } from "./record.ts";

/** timeseries.csv written line by line as records come (how `chaleur export` writes the history's cycles). */
function lineRecorder(file: string, names: readonly string[]): Recorder {
  appendFileSync(file, timeseriesCsvHeader(names));
  return { record: (r) => appendFileSync(file, timeseriesCsvLine(r.timeMs, r.mode, names, (k) => r.values[k])), close: () => undefined };
}

describe("recorders: the same step records as CSV, as live totals, as the simulator's columns", () => {
  it("CSV lines written record by record equal the simulator's timeseries.csv; live totals equal the KPIs", () => {
    const sc = loadScenario("simulations/paris-winter-week-faults.yaml");
    const dir = mkdtempSync(join(tmpdir(), "chaleur-rec-"));
    const csv = lineRecorder(join(dir, "streamed.csv"), timeseriesColumns(sc.model));
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
});

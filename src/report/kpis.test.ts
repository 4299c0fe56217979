import { describe, expect, it } from "vitest";
import { loadScenario } from "../config/scenario.ts";
import { parseSet } from "../config/set-paths.ts";
import { buildInputs } from "../sim/inputs.ts";
import { runSimulation } from "../sim/engine.ts";
import { createRuleController } from "../control/rule.ts";
import { computeKpis, shortRuns } from "./kpis.ts";
import { kpiRows, kpiValue } from "./run-report.ts";
import { renderReport } from "./html.ts";
import { buildReportInput } from "./run-report.ts";

/** A heat column of 1-min steps from [minutes on, minutes off, minutes on, …]. */
function series(pattern: number[], kw = 200): Float64Array {
  const out: number[] = [];
  pattern.forEach((min, i) => out.push(...new Array<number>(min).fill(i % 2 === 0 ? kw : 0)));
  return Float64Array.from(out);
}

describe("shortRuns", () => {
  it("counts runs of heat up to 60 min, a run of exactly 60 included, 61 not", () => {
    expect(shortRuns(series([0, 10, 40, 20, 60, 5, 61, 5]), 60)).toBe(2);
    expect(shortRuns(series([0, 10, 61, 5]), 60)).toBe(0);
    // A run from the first step counts; one still going at the end does not (its length is unknown).
    expect(shortRuns(series([15, 10, 20]), 60)).toBe(1);
    expect(shortRuns(new Float64Array(0), 60)).toBe(0);
    // At 15-min steps: 4 steps are 60 min, 5 are 75.
    expect(shortRuns(Float64Array.from([0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0]), 900)).toBe(1);
    expect(shortRuns(series([0, 10, 100, 5]), 60, 120)).toBe(1);
  });
});

describe("per-unit starts and short runs in the KPIs", () => {
  // A real day of the winter week (for the scenario and every other column), then hand-made heat-pump series.
  const sc = loadScenario("simulations/paris-winter-week.yaml", [parseSet("duration=P1D")]);
  const res = runSimulation(sc, buildInputs(sc), createRuleController(sc.model, sc.control.periodS));
  const n = res.inputs.n;
  const pad = (a: Float64Array) => Float64Array.from({ length: n }, (_, i) => a[i] ?? 0);
  // hp1: runs of 40, 120 and 60 min (two short); hp2: runs of 30 and 400 min (one short).
  res.columns.set("hp1_heat_kw", pad(series([0, 60, 40, 30, 120, 60, 60])));
  res.columns.set("hp2_heat_kw", pad(series([0, 100, 30, 200, 400])));
  res.hpStarts = [3, 2];
  const k = computeKpis(res);

  it("hp_starts_by_unit gives each unit's starts, adding up to hp_starts; hp_short_runs counts every unit's", () => {
    expect(k.hp_starts_by_unit).toEqual({ hp1: 3, hp2: 2 });
    expect(k.hp_starts).toBe(5);
    expect(k.hp_short_runs).toBe(3);
  });

  it("the report shows the starts of each unit under the total, and the short runs", () => {
    const rows = kpiRows(k);
    const i = rows.findIndex((r) => r.key === "hp_starts");
    expect(rows.slice(i, i + 4).map((r) => [r.key, r.value])).toEqual([
      ["hp_starts", 5],
      ["hp_starts_by_unit.hp1", 3],
      ["hp_starts_by_unit.hp2", 2],
      ["hp_short_runs", 3],
    ]);
    expect(kpiValue(k as unknown as Record<string, unknown>, "hp_starts_by_unit.hp2")).toBe(2);
    const html = renderReport(buildReportInput(res, k));
    expect(html).toContain("Heat-pump starts, hp1");
    expect(html).toContain("Heat-pump runs of 60 min or less");
  });
});

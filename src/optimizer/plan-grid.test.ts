import { beforeAll, describe, expect, it } from "vitest";
import { gridDurationS, planGrid, stepBoundsMs, stepsStartingBefore, uniformGrid, windowStartSteps } from "./plan-grid.ts";
import { loadModel } from "../config/plant-model.ts";
import { initialPlanState, readPlanInputs } from "../cli/plan.ts";
import { stepMeans } from "../forecast/aggregate.ts";
import { createHighsSolver } from "./solvers/highs.ts";
import type { Solver } from "./solvers/types.ts";
import { optimizePlan } from "./optimize.ts";
import type { PlanForecast } from "./plan-types.ts";

describe("plan grid", () => {
  it("is uniform by default and move-blocked when asked", () => {
    expect(planGrid({ horizonS: 86400, stepS: 900 })).toEqual(uniformGrid(96, 900));
    const g = planGrid({ horizonS: 86400, stepS: 900, coarseAfterS: 4 * 3600, coarseStepS: 3600 });
    expect(g.length).toBe(16 + 20);
    expect(g.slice(0, 16).every((d) => d === 900)).toBe(true);
    expect(g.slice(16).every((d) => d === 3600)).toBe(true);
    expect(gridDurationS(g)).toBe(86400);
    // A horizon that is not a whole number of coarse steps ends on a shorter step.
    expect(planGrid({ horizonS: 5400, stepS: 900, coarseAfterS: 900, coarseStepS: 3600 })).toEqual([900, 3600, 900]);
  });

  it("places steps in time and finds the windows of minimum up/down times", () => {
    const g = [900, 900, 3600, 3600];
    expect(stepBoundsMs(1000, g)).toEqual([1000, 901_000, 1_801_000, 5_401_000, 9_001_000]);
    expect(stepsStartingBefore(g, 0)).toBe(0);
    expect(stepsStartingBefore(g, 1200)).toBe(2); // steps starting at 0 and 900 s
    expect(stepsStartingBefore(g, 1800)).toBe(2);
    expect(stepsStartingBefore(g, 1801)).toBe(3);
    // 30 min: on the 15-min part a start holds the next step too; an hour-long step is its own window.
    expect(windowStartSteps(g, 1800)).toEqual([0, 0, 1, 3]);
    expect(windowStartSteps(uniformGrid(4, 900), 900)).toEqual([0, 1, 2, 3]);
  });
});

describe("a move-blocked plan", () => {
  const m = loadModel("models/paris-chapelle.yaml");
  const fine = readPlanInputs("simulations/plan-example.csv", m);
  let highs: Solver;
  beforeAll(async () => {
    highs = await createHighsSolver();
  });

  /** The example's 96 × 15 min, as 16 × 15 min then 20 × 1 h of the same inputs' means. */
  function blocked(): PlanForecast {
    const stepsS = planGrid({ horizonS: 86400, stepS: 900, coarseAfterS: 4 * 3600, coarseStepS: 3600 });
    const per = stepsS.map((d) => d / 900);
    const mean = (a: number[]) => stepMeans(a, 0, per);
    return {
      startMs: fine.startMs,
      stepsS,
      n: stepsS.length,
      itHeatKw: mean(fine.itHeatKw),
      outdoorTempC: mean(fine.outdoorTempC),
      solarWm2: mean(fine.solarWm2),
      priceElEurPerMwh: mean(fine.priceElEurPerMwh),
      dhDemandKw: mean(fine.dhDemandKw),
      hpAvailable: m.heatPumps.map(() => new Array<boolean>(stepsS.length).fill(true)),
    };
  }

  it("values every step by its own length: its optimum is within 2 % of the 15-min plan's", () => {
    const uniform = optimizePlan(highs, m, fine, initialPlanState(m), { timeLimitMs: 30_000 });
    const coarse = optimizePlan(highs, m, blocked(), initialPlanState(m), { timeLimitMs: 30_000 });
    expect(coarse.status).toBe("optimal");
    expect(coarse.plan!.steps.length).toBe(36);
    expect(coarse.plan!.steps[16]!.timeMs - fine.startMs).toBe(4 * 3600_000);
    expect(coarse.plan!.steps[17]!.timeMs - fine.startMs).toBe(5 * 3600_000);
    expect(coarse.plan!.steps[17]!.durationS).toBe(3600);
    // Were an hour-long step valued as 15 min, three quarters of 20 h of sales would be missing.
    expect(Math.abs(coarse.objectiveEur! - uniform.objectiveEur!) / uniform.objectiveEur!).toBeLessThan(0.02);
  });

  it("keeps a unit that has just started on through its minimum up time, across fine and coarse steps", () => {
    const s = initialPlanState(m);
    s.hps[0] = { on: true, heatKw: 400, stateS: 60 }; // started a minute ago, 30 min minimum up time
    const f = blocked();
    f.priceElEurPerMwh = f.priceElEurPerMwh.map(() => 2000); // running is ruinous: the unit stops as soon as it may
    const o = optimizePlan(highs, m, f, s, { timeLimitMs: 30_000 });
    expect(o.plan).not.toBeNull();
    const on = o.plan!.steps.map((st) => st.hps[0]!.on);
    expect(on.slice(0, 2)).toEqual([true, true]); // 0–30 min
    expect(on[2]).toBe(false);
  });
});

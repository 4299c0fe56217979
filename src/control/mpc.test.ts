import { uniformGrid } from "../optimizer/plan-grid.ts";
import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { readPlanInputs } from "../cli/plan.ts";
import { createHighsSolver } from "../optimizer/solvers/highs.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { createMpcController } from "./mpc.ts";
import { capGreenhouseHeat } from "./plan-setpoints.ts";
import { comfortMaxC } from "../config/comfort.ts";
import type { Observation } from "./types.ts";

const m = loadModel("models/paris-chapelle.yaml");
const f = readPlanInputs("simulations/plan-example.csv", m);

function obsAt(timeMs: number): Observation {
  return {
    timeMs,
    itHeatKw: 900,
    outdoorTempC: 6,
    solarWm2: 0,
    priceElEurPerMwh: 55,
    dhDemandKw: 1450,
    fwSupplyTempC: 20,
    hotLoopSupplyC: 74,
    storageEnergyKwh: 2500,
    ghTempC: 18,
    ghDirectMaxKw: 100,
    hps: m.heatPumps.map((h) => ({ id: h.id, available: true, running: false, heatKw: 0, stateS: 1e9, cop: 5.5 })),
  };
}

/** A solver that can be switched to fail, standing in for a crash or a timeout of the real one. */
function flakySolver(real: Solver): Solver & { fail: boolean } {
  const s = {
    name: "flaky",
    acceptsStart: real.acceptsStart,
    fail: false,
    solve(model: Parameters<Solver["solve"]>[0], opts: Parameters<Solver["solve"]>[1]) {
      if (s.fail) return { status: "error" as const, objective: null, values: null, gapPct: null, solveMs: 1, detail: "injected failure" };
      return real.solve(model, opts);
    },
  };
  return s;
}

describe("mpc fallback ladder", () => {
  it("optimal → held (last verified plan, while young) → rule", async () => {
    const solver = flakySolver(await createHighsSolver());
    const failures: string[] = [];
    const forecast = (obs: Observation, stepsS: number[]): PlanForecast => ({ ...f, startMs: obs.timeMs, n: stepsS.length, stepsS });
    const c = createMpcController({ name: "mpc", model: m, solver, forecast, grid: uniformGrid(32, 900), replanS: 900, periodS: 900, timeLimitMs: 10_000, mipRelGap: 1e-4, heldMaxS: 3600, onFailure: (_t, msg) => failures.push(msg) });
    const t0 = f.startMs;
    const d0 = c.decide(obsAt(t0));
    expect(d0.mode).toBe("optimal");
    expect(d0.setpoints.hps.some((h) => h.on && h.heatKw > 0)).toBe(true);
    solver.fail = true;
    const d1 = c.decide(obsAt(t0 + 900_000));
    expect(d1.mode).toBe("held");
    expect(failures[0]).toMatch(/injected failure/);
    const d2 = c.decide(obsAt(t0 + 2 * 3_600_000));
    expect(d2.mode).toBe("rule");
    solver.fail = false;
    expect(c.decide(obsAt(t0 + 3 * 3_600_000)).mode).toBe("optimal");
  });
});

describe("greenhouse interlock on planned heat", () => {
  const sp = { hps: [], dhSoldKw: 0, ghDirectKw: 60, ghBoostKw: 40 };
  it("passes planned heat to a cool greenhouse", () => {
    const o = { ...obsAt(f.startMs), ghTempC: 16, outdoorTempC: 2 };
    expect(capGreenhouseHeat(m, sp, o, 900)).toEqual(sp);
  });
  it("gives no heat to a greenhouse at its comfort maximum, whatever the plan (its forecast may be wrong)", () => {
    const o = { ...obsAt(f.startMs), ghTempC: comfortMaxC(m), outdoorTempC: 20, solarWm2: 300 };
    const capped = capGreenhouseHeat(m, sp, o, 900);
    expect(capped.ghDirectKw).toBe(0);
    expect(capped.ghBoostKw).toBe(0);
  });
  it("near the maximum, cuts boost (bought) before direct heat (free)", () => {
    // 0.8 K below the top at 20 °C outside: about 54 kW would end the period 0.5 K below the top.
    const o = { ...obsAt(f.startMs), ghTempC: comfortMaxC(m) - 0.8, outdoorTempC: 20 };
    const capped = capGreenhouseHeat(m, sp, o, 900);
    expect(capped.ghDirectKw + capped.ghBoostKw).toBeGreaterThan(40);
    expect(capped.ghDirectKw + capped.ghBoostKw).toBeLessThan(70);
    expect(capped.ghBoostKw).toBe(0);
    expect(capped.ghDirectKw).toBeLessThan(60);
  });
});

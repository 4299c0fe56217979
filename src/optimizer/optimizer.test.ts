import { describe, expect, it, beforeAll } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { fullLoadCops } from "../model/plant-model.ts";
import { readPlanInputs, initialPlanState } from "../cli/plan.ts";
import { createHighsSolver } from "./solvers/highs.ts";
import type { Solver } from "./solvers/types.ts";
import { optimizePlan } from "./optimize.ts";
import { buildPlanModel } from "./formulation/build.ts";
import { verifySolution, describeViolations } from "./verify.ts";
import { MilpBuilder } from "./milp.ts";
import { toCplexLp } from "./lp-format.ts";
import type { PlanForecast } from "./plan-types.ts";

const m = loadModel("models/paris-chapelle.yaml");
const f = readPlanInputs("simulations/plan-example.csv", m);
let highs: Solver;
beforeAll(async () => {
  highs = await createHighsSolver();
});

describe("LP text", () => {
  it("HiGHS reads our LP text back to the known optimum, constant and fixed binaries included", async () => {
    const b = new MilpBuilder("tiny");
    const x = b.addVar("x", 0, 10);
    const y = b.addVar("y", 0, 1, "binary");
    const z = b.addVar("z", 0, 0, "binary"); // fixed off: must stay 0 although it pays
    b.addCon("c1", "g", [[x, 1], [y, -4]], "<=", 2.5);
    b.addObj(x, 3);
    b.addObj(y, -1);
    b.addObj(z, 100);
    b.addObjConstant(7);
    const model = b.build();
    const lp = toCplexLp(model);
    expect(lp).toContain(" z = 0");
    expect(lp).toMatch(/Binaries\n y\n/);
    const r = highs.solve(model, { timeLimitMs: 5000 });
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(3 * 6.5 - 1 + 7, 9); // x = 6.5 with y = 1
    expect(verifySolution(model, r.values!).objective).toBeCloseTo(r.objective!, 9);
  });
});

describe("plan on simulations/plan-example.csv", () => {
  it("is optimal, verified, and keeps the servers cooled at every step", () => {
    const o = optimizePlan(highs, m, f, initialPlanState(m), { timeLimitMs: 30_000 });
    expect(o.status).toBe("optimal");
    expect(o.plan).not.toBeNull();
    // Recompute the cooling balance from the plan itself, independently of the verifier.
    for (const [t, s] of o.plan!.steps.entries()) {
      const cops = fullLoadCops(m, f.outdoorTempC[t]!);
      const source = s.hps.reduce((a, h, i) => a + h.heatKw * (1 - 1 / cops[i]!), 0);
      expect(source + s.ghDirectKw + s.dumpKw + s.chillerKw).toBeCloseTo(f.itHeatKw[t]!, 4);
      const hot = s.hps.reduce((a, h) => a + h.heatKw, 0) + s.storageDischargeKw - s.dhSoldKw - s.ghBoostKw - s.storageChargeKw;
      expect(Math.abs(hot)).toBeLessThan(1e-4);
      expect(s.dhSoldKw).toBeLessThanOrEqual(Math.min(f.dhDemandKw[t]!, m.network.contractMaxKw) + 1e-6);
    }
  });

  it("verification names the violated constraint in a tampered plan, whatever the solver said", () => {
    const { model } = buildPlanModel(m, f, initialPlanState(m));
    const r = highs.solve(model, { timeLimitMs: 30_000 });
    const x = Float64Array.from(r.values!);
    const dump3 = model.variables.findIndex((v) => v.name === "dump_3");
    x[dump3] = x[dump3]! + 50; // more heat removed than the servers give
    const v = verifySolution(model, x);
    expect(v.ok).toBe(false);
    expect(v.violations.map((q) => q.name)).toContain("cooling_3");
    expect(describeViolations(v)).toMatch(/cooling_3 \(cooling\)/);
    const y = Float64Array.from(r.values!);
    const u = model.variables.findIndex((q) => q.name === "u_hp2_10");
    y[u] = 0.5;
    expect(verifySolution(model, y).violations.some((q) => q.kind === "integrality" && q.name === "u_hp2_10")).toBe(true);
  });

  it("a forced timeout gives a clear status and no plan", () => {
    const o = optimizePlan(highs, m, f, initialPlanState(m), { timeLimitMs: 1 });
    // HiGHS stops at once; whatever values it hands back at its time limit are not a plan (verification says so).
    expect(["timeout", "rejected"]).toContain(o.status);
    expect(o.plan).toBeNull();
    expect(o.message).toMatch(/Time limit reached/);
  });

  it("an override that breaks cooling makes the instance infeasible: no plan is used", () => {
    const hot: PlanForecast = { ...f, outdoorTempC: f.outdoorTempC.map(() => 36), dhDemandKw: f.dhDemandKw.map(() => 0) };
    const o = optimizePlan(highs, m, hot, initialPlanState(m), {
      timeLimitMs: 30_000,
      fixes: { hp: { hp1: { on: false, heatKw: 0 }, hp2: { on: false, heatKw: 0 } }, chillerMaxKw: 0, steps: 4 },
    });
    expect(o.status).toBe("infeasible");
    expect(o.plan).toBeNull();
    expect(o.message).toMatch(/infeasible/);
  });

  it("a tripped unit is kept off by the plan", () => {
    const tripped: PlanForecast = { ...f, hpAvailable: [f.hpAvailable[0]!.map(() => false), f.hpAvailable[1]!] };
    const o = optimizePlan(highs, m, tripped, initialPlanState(m), { timeLimitMs: 30_000 });
    expect(o.plan!.steps.every((s) => s.hps[0]!.heatKw === 0 && !s.hps[0]!.on)).toBe(true);
    expect(o.plan!.steps.some((s) => s.hps[1]!.heatKw > 0)).toBe(true);
  });
});

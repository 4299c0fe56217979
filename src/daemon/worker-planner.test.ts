import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadModel } from "../config/plant-model.ts";
import { readPlanInputs, initialPlanState } from "../cli/plan.ts";
import { planNow, type PlanRequest } from "../control/planner.ts";
import { createHighsSolver } from "../optimizer/solvers/highs.ts";
import { WorkerPlanner } from "./worker-planner.ts";

const m = loadModel("models/paris-chapelle.yaml");
const full = readPlanInputs("simulations/plan-example.csv", m);
const n = 24;
const forecast = { ...full, n, stepsS: full.stepsS.slice(0, n), itHeatKw: full.itHeatKw.slice(0, n), outdoorTempC: full.outdoorTempC.slice(0, n), solarWm2: full.solarWm2.slice(0, n), priceElEurPerMwh: full.priceElEurPerMwh.slice(0, n), dhDemandKw: full.dhDemandKw.slice(0, n), hpAvailable: full.hpAvailable.map((a) => a.slice(0, n)) };
const req = (timeLimitMs: number): PlanRequest => ({ forecast, state: initialPlanState(m), options: { timeLimitMs, mipRelGap: 1e-4 } });
const faulty = fileURLToPath(new URL("../../test/fixtures/faulty-solvers.ts", import.meta.url));

describe("the planner on a worker thread", () => {
  it("gives the same verified plan as solving in process", async () => {
    const p = new WorkerPlanner({ model: m, solver: "highs" });
    try {
      const [a, b] = [await p.plan(req(30_000)), planNow(await createHighsSolver(), m, req(30_000))];
      expect(a.plan).not.toBeNull();
      expect(a.status).toBe(b.status);
      expect(a.objectiveEur).toBeCloseTo(b.objectiveEur!, 6);
      expect(a.plan!.steps.map((s) => s.hps[0]!.on)).toEqual(b.plan!.steps.map((s) => s.hps[0]!.on));
    } finally {
      await p.close();
    }
  });

  it("a solver that never returns is stopped at its limit + grace, and the next request gets a fresh worker", async () => {
    const p = new WorkerPlanner({ model: m, solver: "hang", solverModule: faulty, graceMs: 300 });
    try {
      await expect(p.plan(req(200))).rejects.toThrow("planner: no answer within 0.5 s; solver stopped");
      await expect(p.plan(req(200))).rejects.toThrow("planner: no answer within 0.5 s; solver stopped");
      expect(p.starts).toBe(2);
    } finally {
      await p.close();
    }
  });

  it("a crashing solver fails its request with the reason; the worker is replaced", async () => {
    const p = new WorkerPlanner({ model: m, solver: "crash", solverModule: faulty });
    try {
      await expect(p.plan(req(5000))).rejects.toThrow("planner worker crashed: injected solver crash");
      await expect(p.plan(req(5000))).rejects.toThrow("planner worker crashed: injected solver crash");
      expect(p.starts).toBe(2);
    } finally {
      await p.close();
    }
  });

  it("a plan that fails verification comes back rejected, naming the violated row, and no plan", async () => {
    const p = new WorkerPlanner({ model: m, solver: "corrupt", solverModule: faulty });
    try {
      const r = await p.plan(req(30_000));
      expect(r.status).toBe("rejected");
      expect(r.plan).toBeNull();
      expect(r.message).toMatch(/^corrupt said (optimal|feasible) \(.*\), but the plan failed verification: .* violated by /);
    } finally {
      await p.close();
    }
  });
});

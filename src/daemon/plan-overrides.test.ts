import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { createHighsSolver } from "../optimizer/solvers/highs.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { planNow, type Planner, type PlanRequest } from "../control/planner.ts";
import { observationAt } from "../control/observation-fixture.ts";
import { chillerCapacityAtKw, dumpCapacityKw } from "../model/plant-model.ts";
import type { Override } from "../ops/overrides.ts";
import { overridesNote, planAroundOverrides } from "./plan-overrides.ts";
import { flatForecast } from "../optimizer/flat-forecast-fixture.ts";

/** A plan around overrides never fails for their sake, and never pretends to cool what it cannot (issue 18 item 2). */
const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.UTC(2026, 6, 20, 10);
const H = 3600_000;
const n = 16;
let highs: Solver;
let calls: PlanRequest[];
const planner: Planner = { plan: async (req) => (calls.push(req), planNow(highs, m, req)), close: async () => undefined };
beforeAll(async () => {
  highs = await createHighsSolver();
});

const forecast = (over: Partial<PlanForecast>): PlanForecast => flatForecast(m, T0, n, {}, over);
function ov(id: number, target: string, kind: Override["kind"], value: number | null = null): Override {
  return { id, target, kind, value, startMs: T0, expiryMs: T0 + 10 * H, reason: "test", author: "olga", createdMs: T0, clearedMs: null, clearedBy: null, clearReason: null };
}
const obs = observationAt(m, T0, { storageEnergyKwh: 300, ghTempC: 19 });
const req = (f: PlanForecast): PlanRequest => ({ forecast: f, state: { storageEnergyKwh: 300, ghTempC: 19, hps: m.heatPumps.map(() => ({ on: false, heatKw: 0, stateS: 1e6 })) }, options: { timeLimitMs: 30_000 } });

describe("a plan around overrides", () => {
  it("sets aside a promise no plan can keep (the optimizer's infeasible), keeps the lock-outs, and says so", async () => {
    calls = [];
    // Both units locked out and 1.5 MW promised to the network: the capacity check sees nothing wrong, no plan exists.
    const all = [ov(1, "hp1", "lockout"), ov(2, "hp2", "lockout"), ov(3, "dh_sold", "setpoint", 1500)];
    const { result, report } = await planAroundOverrides(planner, m, req(forecast({})), obs, all);
    expect(calls).toHaveLength(2);
    expect(result.plan).not.toBeNull();
    expect(report.setAside.map((s) => s.override.id)).toEqual([3]);
    expect(report.setAside[0]!.why).toMatch(/infeasible/);
    for (const st of result.plan!.steps) expect(st.hps.every((h) => !h.on)).toBe(true);
    expect(result.plan!.steps[0]!.coolingShortfallKw).toBeUndefined();
  });

  it("where nothing can take the servers' heat, still plans: every unit at its most, the shortfall stated", async () => {
    calls = [];
    const outC = 38;
    const f = forecast({ itHeatKw: Array.from({ length: n }, () => 4000), outdoorTempC: Array.from({ length: n }, () => outC) });
    const { result, report } = await planAroundOverrides(planner, m, req(f), obs, [ov(1, "chiller", "limit", 0)]);
    expect(report.coolable).toBe(false);
    expect(report.setAside.map((s) => s.override.id)).toEqual([1]);
    expect(calls[0]!.options.coolingShortfall).toBe(true);
    const plan = result.plan!;
    expect(plan).not.toBeNull();
    const chillerMaxKw = chillerCapacityAtKw(m, outC);
    for (const st of plan.steps) {
      // The rejection paths at their capacity, and what is left is the shortfall, from the plan's own figures.
      expect(st.chillerKw).toBeCloseTo(chillerMaxKw, 3);
      expect(st.dumpKw).toBeCloseTo(dumpCapacityKw(m, outC), 3);
      const sourceKw = st.hps.reduce((a, h) => a + h.heatKw - h.elecKw, 0);
      expect(st.coolingShortfallKw!).toBeGreaterThan(1000);
      expect(sourceKw + st.dumpKw + st.chillerKw + st.ghDirectKw + st.coolingShortfallKw!).toBeCloseTo(4000, 3);
    }
  });

  it("a failed plan names overrides in force and scheduled apart", () => {
    const later = { ...ov(5, "hp1", "off"), startMs: T0 + 23 * H, expiryMs: T0 + 30 * H };
    expect(overridesNote([ov(4, "chiller", "limit", 0), later], T0 + H)).toBe("overrides in force: #4 chiller at most 0 kW; scheduled: #5 hp1 forced off");
  });
});

import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { Plan } from "../optimizer/plan-types.ts";
import { follow, type FollowConfig } from "./follow.ts";
import { emptyPlanStore, storeFailure, storePlan } from "./plan-store.ts";
import { ruleDecide } from "./rule.ts";
import type { Observation } from "./types.ts";
import { observationAt } from "./observation-fixture.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.parse("2026-01-12T00:00:00Z");
const cfg: FollowConfig = { model: m, periodS: 900, heldMaxS: 4 * 3600, freshMaxS: 1800 };

/** 96 quarter-hours; hp1's heat is 5 kW × the step index, so the step followed can be read off the setpoint. */
function plan(startMs: number): Plan {
  return {
    objectiveEur: 1,
    steps: Array.from({ length: 96 }, (_, k) => ({
      timeMs: startMs + k * 900_000,
      durationS: 900,
      hps: m.heatPumps.map((h, i) => ({ id: h.id, on: i === 0, heatKw: i === 0 ? 100 + 5 * k : 0, elecKw: 0, cop: 5 })),
      dhSoldKw: 10 * k,
      ghDirectKw: 0,
      ghBoostKw: 0,
      ghTempC: 18,
      storageChargeKw: 0,
      storageDischargeKw: 0,
      storageEnergyKwh: 2000,
      // Dumping something: no source margin on top of the planned heat.
      dumpKw: 100,
      chillerKw: 0,
      itHeatKw: 900,
      priceElEurPerMwh: 50,
    })),
  };
}

function obs(timeMs: number): Observation {
  return observationAt(m, timeMs);
}

const info = { trigger: "period", solver: "highs", solveMs: 10, gapPct: 0 };

describe("follow: the step is chosen by time, the mode by the plan store", () => {
  it("a plan made two hours ago is followed at its step for now, never its first step", () => {
    const store = storePlan(emptyPlanStore(), plan(T0), T0, info);
    const at = T0 + 2 * 3600_000 + 60_000;
    const r = follow(store, obs(at), at, { ...cfg, freshMaxS: Infinity });
    expect(r.mode).toBe("optimal");
    // Step 8 covers 02:00–02:15.
    expect(r.setpoints.hps[0]!.heatKw).toBe(140);
    expect(r.setpoints.dhSoldKw).toBe(80);
  });

  it("optimal → held after a failure → rule once the plan is older than heldMaxS or does not cover now", () => {
    let store = storePlan(emptyPlanStore(), plan(T0), T0, info);
    expect(follow(store, obs(T0), T0, cfg).mode).toBe("optimal");
    store = storeFailure(store, T0 + 900_000, "highs: timeout (no incumbent)");
    const held = follow(store, obs(T0 + 900_000), T0 + 900_000, cfg);
    expect(held.mode).toBe("held");
    expect(held.cause).toBe("highs: timeout (no incumbent)");
    expect(held.setpoints.hps[0]!.heatKw).toBe(105);
    const late = T0 + 4 * 3600_000 + 1000;
    const r = follow(store, obs(late), late, cfg);
    expect(r.mode).toBe("rule");
    expect(r.setpoints).toEqual(ruleDecide(m, obs(late), 900).setpoints);
    const beyond = T0 + 25 * 3600_000;
    expect(follow(storePlan(store, plan(T0), T0, info), obs(beyond), beyond, { ...cfg, freshMaxS: Infinity, heldMaxS: Infinity }).mode).toBe("rule");
  });

  it("a plan that went quiet (no new plan, no failure reported) is held, not optimal", () => {
    const store = storePlan(emptyPlanStore(), plan(T0), T0, info);
    const r = follow(store, obs(T0 + 3600_000), T0 + 3600_000, cfg);
    expect(r.mode).toBe("held");
    expect(r.cause).toBe("no new plan for 60 min");
  });

  it("no plan yet: rule, saying why", () => {
    const r = follow(storeFailure(emptyPlanStore(), T0, "worker crashed"), obs(T0), T0, cfg);
    expect(r.mode).toBe("rule");
    expect(r.cause).toBe("no plan yet: worker crashed");
  });
});

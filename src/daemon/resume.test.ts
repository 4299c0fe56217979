import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { StoredPlan } from "../store/reader.ts";
import type { Plan } from "../optimizer/plan-types.ts";
import { resumeState } from "./resume.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.parse("2026-01-12T06:00:00Z");
const plan: Plan = { objectiveEur: 12, steps: Array.from({ length: 8 }, (_, k) => ({ timeMs: T0 + k * 3_600_000, durationS: 3600 }) as Plan["steps"][number]) };
const stored = (madeAtMs: number): StoredPlan => ({ id: 1, madeAtMs, trigger: "period", status: "optimal", objectiveEur: 12, solver: "highs", solveMs: 40, gapPct: 0.1, message: null, plan });
const HELD_S = 4 * 3600;

describe("what a restart takes over", () => {
  it("the plan in force while young enough and covering now; otherwise nothing, saying why", () => {
    const ok = resumeState(m, T0 + 600_000, HELD_S, stored(T0), new Map());
    expect(ok.planStore.plan).toBe(plan);
    expect(ok.planStore.madeAtMs).toBe(T0);
    expect(ok.planStore.trigger).toBe("resumed: period");
    expect(resumeState(m, T0 + 600_000, HELD_S, null, new Map()).summary).toMatch(/no verified plan/);
    expect(resumeState(m, T0 + 5 * 3_600_000, HELD_S, stored(T0), new Map()).summary).toMatch(/over the held limit/);
    expect(resumeState(m, T0 + 8 * 3_600_000, 24 * 3600, stored(T0), new Map()).summary).toMatch(/horizon has passed/);
    const back = resumeState(m, T0 - 60_000, HELD_S, stored(T0), new Map());
    expect(back.planStore.plan).toBeNull();
    expect(back.summary).toMatch(/clock went back/);
  });

  it("the last good values seed the estimate's memory; which units ran, when every unit is known", () => {
    const last = new Map([
      ["hp1.running", { value: 1, timeMs: T0 - 20_000 }],
      ["hp2.running", { value: 0, timeMs: T0 - 20_000 }],
      ["dc.it_heat_kw", { value: 905, timeMs: T0 - 10_000 }],
    ]);
    const r = resumeState(m, T0, HELD_S, null, last);
    expect(r.running).toEqual([true, false]);
    expect(r.memory.lastGood.get("dc.it_heat_kw")).toEqual({ value: 905, sourceMs: T0 - 10_000 });
    last.delete("hp2.running");
    expect(resumeState(m, T0, HELD_S, null, last).running).toBeNull();
  });
});

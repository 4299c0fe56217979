import type { PlantModel } from "../model/plant-model.ts";
import { emptyEstimateMemory, type EstimateMemory } from "../control/estimate.ts";
import { emptyPlanStore, storePlan, type PlanStore } from "../control/plan-store.ts";
import type { HistoryReader, StoredPlan } from "../store/reader.ts";

/**
 * What a restarting daemon takes over from its history (DESIGN §4, "without a bump"): the plan in force, followed
 * by time if it still covers now and is younger than the held limit; each tag's last good value, bridged within its
 * maximum age as if the daemon had never stopped; and which units were running, so a start is not counted twice.
 */
export interface ResumeState {
  planStore: PlanStore;
  memory: EstimateMemory;
  running: boolean[] | null;
  /** For the log: what was taken over, or why not. */
  summary: string;
}

export function resumeState(m: PlantModel, nowMs: number, heldMaxS: number, plan: StoredPlan | null, lastGood: ReadonlyMap<string, { value: number; timeMs: number }>): ResumeState {
  const memory = emptyEstimateMemory();
  for (const [k, v] of lastGood) memory.lastGood.set(k, { value: v.value, sourceMs: v.timeMs });
  const runningKnown = m.heatPumps.every((h) => lastGood.has(`${h.id}.running`));
  const running = runningKnown ? m.heatPumps.map((h) => lastGood.get(`${h.id}.running`)!.value >= 0.5) : null;
  let planStore = emptyPlanStore();
  let why: string;
  if (!plan?.plan || plan.plan.steps.length === 0) why = "no verified plan in the history";
  else {
    const last = plan.plan.steps[plan.plan.steps.length - 1]!;
    const endMs = last.timeMs + last.durationS * 1000;
    const ageS = (nowMs - plan.madeAtMs) / 1000;
    if (ageS < 0) why = `the last plan was made at ${new Date(plan.madeAtMs).toISOString()}, after now (the clock went back)`;
    else if (ageS > heldMaxS) why = `the last plan is ${Math.round(ageS)} s old, over the held limit of ${heldMaxS} s`;
    else if (endMs <= nowMs) why = "the last plan's horizon has passed";
    else {
      planStore = storePlan(planStore, plan.plan, plan.madeAtMs, { trigger: `resumed: ${plan.trigger}`, solver: plan.solver ?? "?", solveMs: plan.solveMs ?? 0, gapPct: plan.gapPct });
      why = `the plan made at ${new Date(plan.madeAtMs).toISOString()} (${Math.round(ageS)} s ago)`;
    }
  }
  return { planStore, memory, running, summary: `${planStore.plan ? "resuming" : "not resuming a plan"}: ${why}; ${lastGood.size} last good values` };
}

/** What a daemon starting at nowMs takes over from its history: the plan (by the held limit) and each tag's last good value (within its maximum age). */
export function resumeFromHistory(m: PlantModel, heldMaxS: number, tags: ReadonlyMap<string, { maxAgeS: number }>, reader: Pick<HistoryReader, "lastVerifiedPlan" | "lastGoodSamples">, nowMs: number): ResumeState {
  const maxAgeMs = Math.max(...[...tags.values()].map((t) => t.maxAgeS)) * 1000;
  return resumeState(m, nowMs, heldMaxS, reader.lastVerifiedPlan(nowMs), reader.lastGoodSamples([...tags.keys()], nowMs, maxAgeMs));
}

import type { PlantModel } from "../model/plant-model.ts";
import { capGreenhouseHeat, planSetpoints } from "./plan-setpoints.ts";
import { planAgeS, type PlanStore } from "./plan-store.ts";
import { ruleDecide } from "./rule.ts";
import type { Mode, Observation, Setpoints } from "./types.ts";

export interface FollowConfig {
  model: PlantModel;
  /** The control period (s): the rule fallback and the greenhouse interlock look this far ahead. */
  periodS: number;
  /** A plan is followed as `held` after a failure while younger than this (s). */
  heldMaxS: number;
  /**
   * A plan older than this without any failure reported is not `optimal` any more (a planner that went quiet):
   * it is `held` until heldMaxS. Infinity in the simulator, where planning is synchronous.
   */
  freshMaxS: number;
}

export interface FollowResult {
  setpoints: Setpoints;
  mode: Exclude<Mode, "safe">;
  /** Why this mode, for logs and the API ("plan 3 min old", "solver: timeout (…)", …). */
  cause: string;
}

/**
 * The fallback ladder over the plan store, at a time: the step followed is the one whose interval holds `nowMs`
 * (never an index), so a late or old plan cannot replay its first step. optimal → held → rule.
 */
export function follow(store: PlanStore, obs: Observation, nowMs: number, cfg: FollowConfig): FollowResult {
  const rule = (cause: string): FollowResult => ({ setpoints: ruleDecide(cfg.model, obs, cfg.periodS).setpoints, mode: "rule", cause });
  const { plan, lastFailure } = store;
  if (!plan) return rule(lastFailure ? `no plan yet: ${lastFailure.message}` : "no plan yet");
  const ageS = planAgeS(store, nowMs);
  const sp = planSetpoints(plan, nowMs, cfg.model.heatPumps.map((h) => h.heatMaxKw));
  if (!sp) return rule(`the plan made ${fmtAge(ageS)} ago does not cover now`);
  const setpoints = capGreenhouseHeat(cfg.model, sp, obs, cfg.periodS);
  const failed = lastFailure !== null && lastFailure.atMs >= store.madeAtMs;
  if (!failed && ageS <= cfg.freshMaxS) return { setpoints, mode: "optimal", cause: `plan made ${fmtAge(ageS)} ago (${store.trigger ?? "period"})` };
  if (ageS > cfg.heldMaxS) return rule(`the last plan is ${fmtAge(ageS)} old (held at most ${fmtAge(cfg.heldMaxS)})${failed ? `; ${lastFailure.message}` : ""}`);
  return { setpoints, mode: "held", cause: failed ? lastFailure.message : `no new plan for ${fmtAge(ageS)}` };
}

function fmtAge(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

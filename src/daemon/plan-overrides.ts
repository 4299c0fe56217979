import type { PlantModel } from "../model/plant-model.ts";
import type { Observation } from "../control/types.ts";
import type { Planner, PlanRequest, PlanResult } from "../control/planner.ts";
import { overrideBounds } from "../ops/override-bounds.ts";
import { guardOverrides, listOverrides, type GuardResult, type SetAside } from "../ops/override-guard.ts";
import { overrideStatus, type Override } from "../ops/overrides.ts";

/**
 * A plan around the operators' overrides that never turns into a failure loop (issue 18 item 2): the overrides are
 * re-checked on this plan's forecast first (ops/override-guard.ts); the plan is made with those cooling leaves in
 * place; if the optimizer still finds no plan, it tries again with the lock-outs alone, then with none; and where
 * the plant cannot take the servers' heat even with every override gone, the plan takes every unit it has to
 * remove the most heat (a priced cooling shortfall instead of no plan at all). Every try is bounded by the
 * planner's own limit, and only an infeasible answer leads to the next try (a timeout would only repeat itself).
 */
export interface OverrideReport {
  /** The re-check's finding with every override as set; null when they are safe together. */
  unsafe: GuardResult["unsafe"];
  /** Overrides the plan in force does not honour, each with why. */
  setAside: SetAside[];
  /** False: the plant cannot take the servers' heat at some step even with no override. */
  coolable: boolean;
}

interface Attempt {
  overrides: Override[];
  shortfall: boolean;
  why: string;
}

export function planAttempts(g: GuardResult): Attempt[] {
  const shortfall = !g.coolable;
  const out: Attempt[] = [{ overrides: g.kept, shortfall, why: "" }];
  const lockouts = g.kept.filter((o) => o.kind === "lockout");
  if (lockouts.length < g.kept.length) out.push({ overrides: lockouts, shortfall, why: "the optimizer finds no plan with it (infeasible), so cooling sets it aside" });
  if (lockouts.length) out.push({ overrides: [], shortfall, why: "the optimizer finds no plan even with the lock-outs alone (infeasible), so cooling sets them aside" });
  return out;
}

export async function planAroundOverrides(planner: Planner, model: PlantModel, req: PlanRequest, obs: Observation, overrides: readonly Override[]): Promise<{ result: PlanResult; report: OverrideReport }> {
  const f = req.forecast;
  const guard = guardOverrides({ model, forecast: f, storageEnergyKwh: obs.storageEnergyKwh, ghTempC: obs.ghTempC, overrides });
  let result: PlanResult | null = null;
  const setAside = [...guard.setAside];
  for (const a of planAttempts(guard)) {
    if (a.why) for (const o of overrides) if (!a.overrides.includes(o) && !setAside.some((s) => s.override === o)) setAside.push({ override: o, why: a.why });
    const options = { ...req.options };
    delete options.bounds;
    if (a.overrides.length) options.bounds = overrideBounds(model, a.overrides, f.startMs, f.stepsS);
    if (a.shortfall) options.coolingShortfall = true;
    result = await planner.plan({ ...req, options });
    if (result.plan || result.status !== "infeasible") break;
  }
  return { result: result!, report: { unsafe: guard.unsafe, setAside, coolable: guard.coolable } };
}

/** What a failed plan says of the overrides: those in force and those scheduled, never one for the other. */
export function overridesNote(overrides: readonly Override[], nowMs: number): string {
  const active = overrides.filter((o) => overrideStatus(o, nowMs) === "active");
  const scheduled = overrides.filter((o) => overrideStatus(o, nowMs) === "scheduled");
  const parts: string[] = [];
  if (active.length) parts.push(`overrides in force: ${listOverrides(active)}`);
  if (scheduled.length) parts.push(`scheduled: ${listOverrides(scheduled)}`);
  return parts.join("; ");
}

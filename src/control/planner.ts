import type { PlantModel } from "../model/plant-model.ts";
import { optimizePlan, type OptimizeOptions, type PlanOutcome } from "../optimizer/optimize.ts";
import type { Plan, PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import type { PlanStore } from "./plan-store.ts";
import type { Observation } from "./types.ts";

/** One planning job as plain data: what a worker thread takes. */
export interface PlanRequest {
  forecast: PlanForecast;
  state: PlanState;
  options: OptimizeOptions;
}

/** What comes back: the outcome without the MILP (which stays where it was solved). */
export type PlanResult = Omit<PlanOutcome, "model">;

/** Plans asynchronously (the daemon's worker thread) or at once (the simulator): same request, same result. */
export interface Planner {
  plan(req: PlanRequest): Promise<PlanResult>;
  close(): Promise<void>;
}

/** Solver settings of a rolling-horizon plan (see mpc-tuning.ts for the measured values). */
export interface PlanTuning {
  timeLimitMs: number;
  mipRelGap: number;
  mipAbsGapEur?: number;
  /** Steps whose on/off stays binary; beyond them it is relaxed. */
  integerSteps?: number;
  mipMaxNodes?: number;
}

export function observationState(obs: Observation): PlanState {
  return {
    storageEnergyKwh: obs.storageEnergyKwh,
    ghTempC: obs.ghTempC,
    hps: obs.hps.map((h) => ({ on: h.running, heatKw: h.heatKw, stateS: h.stateS })),
  };
}

/**
 * The previous plan's on/off decisions moved onto the new plan's steps (each takes the old step covering its
 * start; past the old plan's end, its last step): a warm MIP start.
 */
export function shiftedStart(plan: Plan, timeMs: number, grid: readonly number[]): Map<string, number> {
  const start = new Map<string, number>();
  if (plan.steps.length === 0) return start;
  let k = 0;
  let t0 = timeMs;
  for (let t = 0; t < grid.length; t++) {
    while (k < plan.steps.length - 1 && plan.steps[k]!.timeMs + plan.steps[k]!.durationS * 1000 <= t0) k++;
    for (const h of plan.steps[k]!.hps) start.set(`u_${h.id}_${t}`, h.on ? 1 : 0);
    t0 += grid[t]! * 1000;
  }
  return start;
}

/** The request for a plan from an observation: tuning, the previous plan as a warm start, an optional store target. */
export function planRequest(tuning: PlanTuning, grid: readonly number[], store: PlanStore, obs: Observation, forecast: PlanForecast, terminalTargetKwh?: number): PlanRequest {
  const options: OptimizeOptions = { timeLimitMs: tuning.timeLimitMs, mipRelGap: tuning.mipRelGap };
  if (tuning.integerSteps !== undefined) options.integerSteps = tuning.integerSteps;
  if (tuning.mipAbsGapEur !== undefined) options.mipAbsGapEur = tuning.mipAbsGapEur;
  if (tuning.mipMaxNodes !== undefined) options.mipMaxNodes = tuning.mipMaxNodes;
  if (store.plan) options.start = shiftedStart(store.plan, obs.timeMs, grid);
  if (terminalTargetKwh !== undefined) options.terminalTargetKwh = terminalTargetKwh;
  return { forecast, state: observationState(obs), options };
}

/** Solves a request here and now (the simulator; the daemon's worker calls the same function). */
export function planNow(solver: Solver, model: PlantModel, req: PlanRequest): PlanResult {
  const { model: _milp, ...result } = optimizePlan(solver, model, req.forecast, req.state, req.options);
  return result;
}

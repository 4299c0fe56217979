import type { PlantModel } from "../model/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { gridDurationS } from "../optimizer/plan-grid.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { follow, type FollowConfig } from "./follow.ts";
import { emptyPlanStore, storeFailure, storePlan } from "./plan-store.ts";
import { planNow, planRequest, type PlanTuning } from "./planner.ts";
import type { Controller, Decision, Observation } from "./types.ts";

/** Builds the forecast a controller sees at a decision time (the simulator's or, later, the plant's feeds). */
export type Forecaster = (obs: Observation, stepsS: number[]) => PlanForecast;

export interface MpcConfig {
  name: string;
  model: PlantModel;
  solver: Solver;
  forecast: Forecaster;
  /** The plan's step durations (s), see plan-grid.ts. */
  grid: number[];
  /** How often to re-plan; between re-plans the controller follows its current plan. */
  replanS: number;
  /** The control period, for the rule fallback. */
  periodS: number;
  timeLimitMs: number;
  mipRelGap: number;
  mipAbsGapEur?: number;
  mipMaxNodes?: number;
  integerSteps?: number;
  /** How long a verified plan may be followed after the optimizer stops delivering ("held"). */
  heldMaxS: number;
  /** Called on every failed optimization (for logs and tests). */
  onFailure?: (timeMs: number, message: string) => void;
  /** A store energy the plan should end at (kWh), from a longer plan (the oracle's strategic layer). */
  terminalTarget?: (obs: Observation, horizonEndMs: number) => number | undefined;
}

/**
 * The rolling-horizon optimizer as a controller, with the fallback ladder of DESIGN §4:
 * optimal (fresh verified plan) → held (last verified plan, while young enough) → rule.
 */
export function createMpcController(cfg: MpcConfig): Controller {
  let store = emptyPlanStore();
  const tuning: PlanTuning = { timeLimitMs: cfg.timeLimitMs, mipRelGap: cfg.mipRelGap };
  if (cfg.mipAbsGapEur !== undefined) tuning.mipAbsGapEur = cfg.mipAbsGapEur;
  if (cfg.integerSteps !== undefined) tuning.integerSteps = cfg.integerSteps;
  if (cfg.mipMaxNodes !== undefined) tuning.mipMaxNodes = cfg.mipMaxNodes;
  // Planning is synchronous here, so a plan never goes stale between re-plans without a failure being recorded.
  const followCfg: FollowConfig = { model: cfg.model, periodS: cfg.periodS, heldMaxS: cfg.heldMaxS, freshMaxS: Infinity };
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      let solveMs: number | null = null;
      if (!store.plan || obs.timeMs - store.madeAtMs >= cfg.replanS * 1000) {
        const target = cfg.terminalTarget?.(obs, obs.timeMs + gridDurationS(cfg.grid) * 1000);
        const r = planNow(cfg.solver, cfg.model, planRequest(tuning, cfg.grid, store, obs, cfg.forecast(obs, cfg.grid), target));
        solveMs = r.solveMs;
        if (r.plan) store = storePlan(store, r.plan, obs.timeMs, { trigger: "period", solver: r.solver, solveMs: r.solveMs, gapPct: r.gapPct });
        else {
          store = storeFailure(store, obs.timeMs, r.message);
          cfg.onFailure?.(obs.timeMs, r.message);
        }
      }
      const f = follow(store, obs, obs.timeMs, followCfg);
      return { setpoints: f.setpoints, mode: f.mode, solveMs };
    },
  };
}

import type { PlantModel } from "../config/plant-model.ts";
import type { Plan, PlanForecast, PlanOptions, PlanState } from "../optimizer/plan-types.ts";
import { optimizePlan } from "../optimizer/optimize.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { ruleDecide } from "./rule.ts";
import type { Controller, Decision, Observation, Setpoints } from "./types.ts";

export interface MpcConfig {
  name: "mpc" | "oracle";
  model: PlantModel;
  solver: Solver;
  forecast: (obs: Observation, n: number, stepS: number) => PlanForecast;
  horizonSteps: number;
  stepS: number;
  /** How often to re-plan; between re-plans the controller follows its current plan. */
  replanS: number;
  /** The control period, for the rule fallback. */
  periodS: number;
  timeLimitMs: number;
  mipRelGap: number;
  integerSteps?: number;
  /** How long a verified plan may be followed after the optimizer stops delivering ("held"). */
  heldMaxS: number;
  /** Called on every failed optimization (for logs and tests). */
  onFailure?: (timeMs: number, message: string) => void;
}

export function observationState(obs: Observation): PlanState {
  return {
    storageEnergyKwh: obs.storageEnergyKwh,
    ghTempC: obs.ghTempC,
    hps: obs.hps.map((h) => ({ on: h.running, heatKw: h.heatKw, stateS: h.stateS })),
  };
}

/** Setpoints of the plan step that covers `timeMs`, or null if the plan does not reach it. */
export function planSetpoints(plan: Plan, stepS: number, timeMs: number): Setpoints | null {
  const first = plan.steps[0];
  if (!first) return null;
  const k = Math.floor((timeMs - first.timeMs) / (stepS * 1000));
  const s = plan.steps[k];
  if (k < 0 || !s) return null;
  return {
    hps: s.hps.map((h) => ({ id: h.id, on: h.on, heatKw: h.heatKw })),
    dhSoldKw: s.dhSoldKw,
    ghDirectKw: s.ghDirectKw,
    ghBoostKw: s.ghBoostKw,
  };
}

/**
 * The rolling-horizon optimizer as a controller, with the fallback ladder of DESIGN §4:
 * optimal (fresh verified plan) → held (last verified plan, while young enough) → rule.
 */
export function createMpcController(cfg: MpcConfig): Controller {
  let plan: Plan | null = null;
  let planAtMs = -Infinity;
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      let solveMs: number | null = null;
      if (obs.timeMs - planAtMs >= cfg.replanS * 1000 || plan === null) {
        const opts: PlanOptions & { timeLimitMs: number; mipRelGap: number } = { timeLimitMs: cfg.timeLimitMs, mipRelGap: cfg.mipRelGap };
        if (cfg.integerSteps !== undefined) opts.integerSteps = cfg.integerSteps;
        const outcome = optimizePlan(cfg.solver, cfg.model, cfg.forecast(obs, cfg.horizonSteps, cfg.stepS), observationState(obs), opts);
        solveMs = outcome.solveMs;
        if (outcome.plan) {
          plan = outcome.plan;
          planAtMs = obs.timeMs;
          const sp = planSetpoints(plan, cfg.stepS, obs.timeMs)!;
          return { setpoints: sp, mode: "optimal", solveMs };
        }
        cfg.onFailure?.(obs.timeMs, outcome.message);
        if (plan && obs.timeMs - planAtMs <= cfg.heldMaxS * 1000) {
          const sp = planSetpoints(plan, cfg.stepS, obs.timeMs);
          if (sp) return { setpoints: sp, mode: "held", solveMs };
        }
        return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
      }
      const sp = planSetpoints(plan, cfg.stepS, obs.timeMs);
      if (sp) return { setpoints: sp, mode: "optimal", solveMs };
      return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
    },
  };
}

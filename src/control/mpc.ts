import type { PlantModel } from "../config/plant-model.ts";
import type { Plan, PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import { optimizePlan, type OptimizeOptions } from "../optimizer/optimize.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { ruleDecide } from "./rule.ts";
import type { Controller, Decision, Observation, Setpoints } from "./types.ts";

/** Builds the forecast a controller sees at a decision time (the simulator's or, later, the plant's feeds). */
export type Forecaster = (obs: Observation, n: number, stepS: number) => PlanForecast;

export interface MpcConfig {
  name: string;
  model: PlantModel;
  solver: Solver;
  forecast: Forecaster;
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
  /** A store energy the plan should end at (kWh), from a longer plan (the oracle's strategic layer). */
  terminalTarget?: (obs: Observation, horizonEndMs: number) => number | undefined;
}

export function observationState(obs: Observation): PlanState {
  return {
    storageEnergyKwh: obs.storageEnergyKwh,
    ghTempC: obs.ghTempC,
    hps: obs.hps.map((h) => ({ on: h.running, heatKw: h.heatKw, stateS: h.stateS })),
  };
}

/** Setpoints of the plan step that covers `timeMs`, or null if the plan does not reach it. */
/** Share of the IT heat added to running units' setpoints when the plan recovers everything. */
const SOURCE_MARGIN = 0.03;

export function planSetpoints(plan: Plan, stepS: number, timeMs: number, maxHeatKw: number[] = []): Setpoints | null {
  const first = plan.steps[0];
  if (!first) return null;
  const k = Math.floor((timeMs - first.timeMs) / (stepS * 1000));
  const s = plan.steps[k];
  if (k < 0 || !s) return null;
  // Where the plan recovers all the server heat, running units are asked a little more than planned: the plan
  // used a 15-min mean of forecast IT heat, the plant sees it minute by minute, and whatever a unit cannot take its
  // source limiter throttles, while heat it could have taken would go to the dry coolers.
  const recoversAll = s.dumpKw + s.chillerKw < 1;
  const marginKw = recoversAll ? SOURCE_MARGIN * s.itHeatKw : 0;
  return {
    hps: s.hps.map((h, i) => ({ id: h.id, on: h.on, heatKw: h.on ? Math.min(h.heatKw + marginKw, maxHeatKw[i] ?? h.heatKw) : h.heatKw })),
    dhSoldKw: s.dhSoldKw,
    ghDirectKw: s.ghDirectKw,
    ghBoostKw: s.ghBoostKw,
  };
}

/** The previous plan's on/off decisions moved to the new start time (its last step repeated): a warm MIP start. */
export function shiftedStart(plan: Plan, stepS: number, timeMs: number, n: number): Map<string, number> {
  const start = new Map<string, number>();
  const first = plan.steps[0];
  if (!first) return start;
  const shift = Math.round((timeMs - first.timeMs) / (stepS * 1000));
  for (let t = 0; t < n; t++) {
    const s = plan.steps[Math.min(plan.steps.length - 1, Math.max(0, t + shift))]!;
    for (const h of s.hps) start.set(`u_${h.id}_${t}`, h.on ? 1 : 0);
  }
  return start;
}

/**
 * The rolling-horizon optimizer as a controller, with the fallback ladder of DESIGN §4:
 * optimal (fresh verified plan) → held (last verified plan, while young enough) → rule.
 */
export function createMpcController(cfg: MpcConfig): Controller {
  let plan: Plan | null = null;
  let planAtMs = -Infinity;
  const hpMaxKw = cfg.model.heatPumps.map((h) => h.heatMaxKw);
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      let solveMs: number | null = null;
      if (obs.timeMs - planAtMs >= cfg.replanS * 1000 || plan === null) {
        const opts: OptimizeOptions = { timeLimitMs: cfg.timeLimitMs, mipRelGap: cfg.mipRelGap };
        if (cfg.integerSteps !== undefined) opts.integerSteps = cfg.integerSteps;
        if (plan) opts.start = shiftedStart(plan, cfg.stepS, obs.timeMs, cfg.horizonSteps);
        const target = cfg.terminalTarget?.(obs, obs.timeMs + cfg.horizonSteps * cfg.stepS * 1000);
        if (target !== undefined) opts.terminalTargetKwh = target;
        const outcome = optimizePlan(cfg.solver, cfg.model, cfg.forecast(obs, cfg.horizonSteps, cfg.stepS), observationState(obs), opts);
        solveMs = outcome.solveMs;
        if (outcome.plan) {
          plan = outcome.plan;
          planAtMs = obs.timeMs;
          const sp = planSetpoints(plan, cfg.stepS, obs.timeMs, hpMaxKw)!;
          return { setpoints: sp, mode: "optimal", solveMs };
        }
        cfg.onFailure?.(obs.timeMs, outcome.message);
        if (plan && obs.timeMs - planAtMs <= cfg.heldMaxS * 1000) {
          const sp = planSetpoints(plan, cfg.stepS, obs.timeMs, hpMaxKw);
          if (sp) return { setpoints: sp, mode: "held", solveMs };
        }
        return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
      }
      const sp = planSetpoints(plan, cfg.stepS, obs.timeMs, hpMaxKw);
      if (sp) return { setpoints: sp, mode: "optimal", solveMs };
      return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
    },
  };
}

import type { PlantModel } from "../model/plant-model.ts";
import type { Plan, PlanForecast, PlanState, PlanStep } from "../optimizer/plan-types.ts";
import { gridDurationS } from "../optimizer/plan-grid.ts";
import { optimizePlan, type OptimizeOptions } from "../optimizer/optimize.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { ruleDecide } from "./rule.ts";
import { greenhouseCeilingKw } from "./comfort.ts";
import type { Controller, Decision, Observation, Setpoints } from "./types.ts";

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

/** Share of the IT heat added to running units' setpoints when the plan recovers everything. */
const SOURCE_MARGIN = 0.03;

/** The plan step that covers `timeMs`, if any. */
export function stepAt(plan: Plan, timeMs: number): PlanStep | undefined {
  return plan.steps.find((s) => timeMs >= s.timeMs && timeMs < s.timeMs + s.durationS * 1000);
}

/** Setpoints of the plan step that covers `timeMs`, or null if the plan does not reach it. */
export function planSetpoints(plan: Plan, timeMs: number, maxHeatKw: number[] = []): Setpoints | null {
  const s = stepAt(plan, timeMs);
  if (!s) return null;
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

/** Kept below the comfort maximum (K) by the greenhouse interlock. */
const GH_CEILING_MARGIN_K = 0.5;

/** Planned greenhouse heat, cut to what the greenhouse may take now (direct heat first, as it is free). */
export function capGreenhouseHeat(m: PlantModel, sp: Setpoints, obs: Observation, periodS: number): Setpoints {
  if (obs.ghTempC === null || sp.ghDirectKw + sp.ghBoostKw <= 0) return sp;
  const ceilKw = greenhouseCeilingKw(m, { ghTempC: obs.ghTempC, outdoorTempC: obs.outdoorTempC, solarWm2: obs.solarWm2, periodS, marginK: GH_CEILING_MARGIN_K });
  const directKw = Math.min(sp.ghDirectKw, ceilKw);
  return { ...sp, ghDirectKw: directKw, ghBoostKw: Math.min(sp.ghBoostKw, ceilKw - directKw) };
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

/**
 * The rolling-horizon optimizer as a controller, with the fallback ladder of DESIGN §4:
 * optimal (fresh verified plan) → held (last verified plan, while young enough) → rule.
 */
export function createMpcController(cfg: MpcConfig): Controller {
  let plan: Plan | null = null;
  let planAtMs = -Infinity;
  const hpMaxKw = cfg.model.heatPumps.map((h) => h.heatMaxKw);
  const follow = (plan: Plan, obs: Observation): Setpoints | null => {
    const sp = planSetpoints(plan, obs.timeMs, hpMaxKw);
    return sp && capGreenhouseHeat(cfg.model, sp, obs, cfg.periodS);
  };
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      let solveMs: number | null = null;
      if (obs.timeMs - planAtMs >= cfg.replanS * 1000 || plan === null) {
        const opts: OptimizeOptions = { timeLimitMs: cfg.timeLimitMs, mipRelGap: cfg.mipRelGap };
        if (cfg.integerSteps !== undefined) opts.integerSteps = cfg.integerSteps;
        if (cfg.mipAbsGapEur !== undefined) opts.mipAbsGapEur = cfg.mipAbsGapEur;
        if (plan) opts.start = shiftedStart(plan, obs.timeMs, cfg.grid);
        const target = cfg.terminalTarget?.(obs, obs.timeMs + gridDurationS(cfg.grid) * 1000);
        if (target !== undefined) opts.terminalTargetKwh = target;
        const outcome = optimizePlan(cfg.solver, cfg.model, cfg.forecast(obs, cfg.grid), observationState(obs), opts);
        solveMs = outcome.solveMs;
        if (outcome.plan) {
          plan = outcome.plan;
          planAtMs = obs.timeMs;
          const sp = follow(plan, obs)!;
          return { setpoints: sp, mode: "optimal", solveMs };
        }
        cfg.onFailure?.(obs.timeMs, outcome.message);
        if (plan && obs.timeMs - planAtMs <= cfg.heldMaxS * 1000) {
          const sp = follow(plan, obs);
          if (sp) return { setpoints: sp, mode: "held", solveMs };
        }
        return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
      }
      const sp = follow(plan, obs);
      if (sp) return { setpoints: sp, mode: "optimal", solveMs };
      return { ...ruleDecide(cfg.model, obs, cfg.periodS), solveMs };
    },
  };
}

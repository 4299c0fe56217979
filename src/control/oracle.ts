import type { Plan } from "../optimizer/plan-types.ts";
import { optimizePlan } from "../optimizer/optimize.ts";
import { createMpcController, observationState, type MpcConfig } from "./mpc.ts";
import type { Controller, Decision, Observation } from "./types.ts";

export interface OracleConfig extends MpcConfig {
  /** The strategic plan: at least a week, re-planned daily, on perfect forecasts. */
  strategicHorizonSteps: number;
  strategicReplanS: number;
  strategicTimeLimitMs: number;
  strategicIntegerSteps: number;
}

/** Store energy the strategic plan expects at a time (nearest step), or undefined outside it. */
function energyAt(plan: Plan, stepS: number, timeMs: number): number | undefined {
  const first = plan.steps[0];
  if (!first) return undefined;
  const k = Math.round((timeMs - first.timeMs) / (stepS * 1000)) - 1;
  return plan.steps[k]?.storageEnergyKwh;
}

/**
 * Perfect foresight, as an upper bound for studies (simulator only). A week-long plan, re-planned daily, decides
 * where the store should be; every control period a 24-h plan on the same perfect forecasts follows it (its end
 * store energy is the weekly plan's), so the oracle corrects what happens between plan and plant, as mpc does.
 */
export function createOracleController(cfg: OracleConfig): Controller {
  let strategic: Plan | null = null;
  let strategicAtMs = -Infinity;
  let strategicMs: number | null = null;
  const tactical = createMpcController({
    ...cfg,
    terminalTarget: (_obs, endMs) => (strategic && cfg.model.storage ? energyAt(strategic, cfg.stepS, endMs) : undefined),
  });
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      strategicMs = null;
      if (obs.timeMs - strategicAtMs >= cfg.strategicReplanS * 1000) {
        const o = optimizePlan(cfg.solver, cfg.model, cfg.forecast(obs, cfg.strategicHorizonSteps, cfg.stepS), observationState(obs), {
          timeLimitMs: cfg.strategicTimeLimitMs,
          mipRelGap: cfg.mipRelGap,
          integerSteps: cfg.strategicIntegerSteps,
        });
        strategicMs = o.solveMs;
        if (o.plan) {
          strategic = o.plan;
          strategicAtMs = obs.timeMs;
        } else cfg.onFailure?.(obs.timeMs, `strategic plan: ${o.message}`);
      }
      const d = tactical.decide(obs);
      return strategicMs === null ? d : { ...d, solveMs: (d.solveMs ?? 0) + strategicMs };
    },
  };
}

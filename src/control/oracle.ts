import type { Plan } from "../optimizer/plan-types.ts";
import { optimizePlan } from "../optimizer/optimize.ts";
import { createMpcController, type MpcConfig } from "./mpc.ts";
import { observationState } from "./planner.ts";
import type { Controller, Decision, Observation } from "./types.ts";

export interface OracleConfig extends MpcConfig {
  /** The strategic plan: at least a week, re-planned daily, on perfect forecasts. */
  strategicGrid: number[];
  strategicReplanS: number;
  strategicTimeLimitMs: number;
  strategicIntegerSteps: number;
  /** Deterministic cap on the strategic solve (branch-and-bound nodes). */
  strategicMaxNodes?: number;
}

/** Store energy the strategic plan expects at a time (the step ending nearest to it), or undefined outside it. */
function energyAt(plan: Plan, timeMs: number): number | undefined {
  let best: number | undefined;
  let bestMs = Infinity;
  for (const s of plan.steps) {
    const d = Math.abs(s.timeMs + s.durationS * 1000 - timeMs);
    if (d < bestMs && d < s.durationS * 1000) [best, bestMs] = [s.storageEnergyKwh, d];
  }
  return best;
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
    terminalTarget: (_obs, endMs) => (strategic && cfg.model.storage ? energyAt(strategic, endMs) : undefined),
  });
  return {
    name: cfg.name,
    decide(obs: Observation): Decision {
      strategicMs = null;
      if (obs.timeMs - strategicAtMs >= cfg.strategicReplanS * 1000) {
        const o = optimizePlan(cfg.solver, cfg.model, cfg.forecast(obs, cfg.strategicGrid), observationState(obs), {
          timeLimitMs: cfg.strategicTimeLimitMs,
          mipRelGap: cfg.mipRelGap,
          integerSteps: cfg.strategicIntegerSteps,
          ...(cfg.strategicMaxNodes !== undefined ? { mipMaxNodes: cfg.strategicMaxNodes } : {}),
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

import type { PlantModel } from "../model/plant-model.ts";
import type { Plan, PlanStep } from "../optimizer/plan-types.ts";
import { greenhouseCeilingKw } from "./comfort.ts";
import type { Observation, Setpoints } from "./types.ts";

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

import type { PlantModel } from "../model/plant-model.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { optimizePlan } from "../optimizer/optimize.ts";
import type { OperationsDeps } from "./operations.ts";

/**
 * Whether any plan exists with an override's bounds: the LP relaxation of the daemon's MILP (every on/off relaxed),
 * solved here on the event loop — tens of milliseconds for the demo's 36 steps, once per override request. No relaxed
 * plan means no plan at all, so a refusal on it is certain; a relaxed plan does not promise an integer one, which the
 * next plan then finds or not (and the ladder acts).
 */
export function relaxedPlanCheck(model: PlantModel, timeLimitMs = 5000): NonNullable<OperationsDeps["checkPlan"]> {
  let solver: Promise<Solver> | null = null;
  return async (f, s, bounds) => {
    const { createHighsSolver } = await import("../optimizer/solvers/highs.ts");
    const highs = await (solver ??= createHighsSolver());
    const o = optimizePlan(highs, model, f, s, { timeLimitMs, integerSteps: 0, bounds });
    return o.status === "infeasible" ? "infeasible" : o.plan ? "feasible" : "unknown";
  };
}

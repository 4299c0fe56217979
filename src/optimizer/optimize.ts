import type { PlantModel } from "../config/plant-model.ts";
import type { Plan, PlanForecast, PlanOptions, PlanState } from "./plan-types.ts";
import { buildPlanModel, extractPlan } from "./formulation/build.ts";
import type { SolveStatus, Solver } from "./solvers/types.ts";
import { describeViolations, verifySolution } from "./verify.ts";
import type { MilpModel } from "./milp.ts";

/**
 * One optimization: build → solve → verify → plan. A plan is returned only if it passed verification;
 * otherwise `plan` is null and `message` says why (solver status, or the violated constraint).
 */
export interface PlanOutcome {
  status: SolveStatus | "rejected";
  plan: Plan | null;
  objectiveEur: number | null;
  solver: string;
  solveMs: number;
  gapPct: number | null;
  message: string;
  model: MilpModel;
}

export function optimizePlan(solver: Solver, m: PlantModel, f: PlanForecast, s: PlanState, opts: PlanOptions & { timeLimitMs: number }): PlanOutcome {
  const { model, index } = buildPlanModel(m, f, s, opts);
  const r = solver.solve(model, { timeLimitMs: opts.timeLimitMs });
  const base = { solver: solver.name, solveMs: r.solveMs, gapPct: r.gapPct, model };
  if (!r.values || (r.status !== "optimal" && r.status !== "feasible")) {
    return { ...base, status: r.status, plan: null, objectiveEur: null, message: `${solver.name}: ${r.status} (${r.detail})` };
  }
  const v = verifySolution(model, r.values);
  if (!v.ok) return { ...base, status: "rejected", plan: null, objectiveEur: null, message: `${solver.name} said ${r.status} (${r.detail}), but the ${describeViolations(v)}` };
  return { ...base, status: r.status, plan: extractPlan(index, r.values, v.objective), objectiveEur: v.objective, message: `${solver.name}: ${r.status}, plan verified` };
}

import { InputError } from "../../config/errors.ts";
import { createHighsSolver } from "./highs.ts";
import { createJsLpSolver } from "./jslp.ts";
import type { Solver } from "./types.ts";

export const SOLVERS = ["highs", "jslp"] as const;
/** Chosen by measurement (README, "Solver backends"): HiGHS is optimal in tens of ms where jslp takes seconds. */
export const DEFAULT_SOLVER = "highs";

export async function createSolver(name: string): Promise<Solver> {
  switch (name) {
    case "highs":
      return createHighsSolver();
    case "jslp":
      return createJsLpSolver();
    default:
      throw new InputError("--solver", "", `one of ${SOLVERS.join(", ")}`, `got '${name}'`);
  }
}

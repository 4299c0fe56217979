import loadHighs from "highs";
import type { MilpModel } from "../milp.ts";
import { toCplexLp } from "../lp-format.ts";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "./types.ts";

/** Relative MIP gap HiGHS must prove before it says optimal. */
const MIP_REL_GAP = 1e-4;

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let instance: Promise<Highs> | null = null;

function statusOf(s: string, hasValues: boolean): SolveStatus {
  switch (s) {
    case "Optimal":
      return "optimal";
    case "Infeasible":
    case "Primal infeasible or unbounded":
      return "infeasible";
    case "Time limit reached":
    case "Iteration limit reached":
      return hasValues ? "feasible" : "timeout";
    default:
      return "error";
  }
}

/** HiGHS (WebAssembly, MIT) fed the same CPLEX LP text that `--export-lp` writes. */
export async function createHighsSolver(): Promise<Solver> {
  instance ??= loadHighs();
  const highs = await instance;
  return {
    name: "highs",
    solve(model: MilpModel, opts: SolveOptions): SolveResult {
      const t0 = performance.now();
      const lp = toCplexLp(model);
      let r: ReturnType<Highs["solve"]>;
      try {
        r = highs.solve(lp, { output_flag: false, time_limit: Math.max(0.001, opts.timeLimitMs / 1000), mip_rel_gap: opts.mipRelGap ?? MIP_REL_GAP, presolve: "on", mip_detect_symmetry: false });
      } catch (e) {
        return { status: "error", objective: null, values: null, gapPct: null, solveMs: performance.now() - t0, detail: String(e) };
      }
      const solveMs = performance.now() - t0;
      const cols = r.Columns as Record<string, { Primal?: number }>;
      const first = model.variables[0];
      const hasValues = r.Status !== "Infeasible" && first !== undefined && typeof cols[first.name]?.Primal === "number";
      const status = statusOf(r.Status, hasValues);
      if (status !== "optimal" && status !== "feasible") return { status, objective: null, values: null, gapPct: null, solveMs, detail: r.Status };
      const values = new Float64Array(model.variables.length);
      model.variables.forEach((v, i) => {
        values[i] = cols[v.name]?.Primal ?? 0;
      });
      return { status, objective: r.ObjectiveValue, values, gapPct: status === "optimal" ? (opts.mipRelGap ?? MIP_REL_GAP) * 100 : null, solveMs, detail: r.Status };
    },
  };
}

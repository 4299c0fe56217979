import { callWithDeadline } from "./deadline-worker.ts";
import type { MilpModel } from "../milp.ts";
import type { SolveOptions, SolveResult, Solver } from "./types.ts";

/**
 * javascript-lp-solver (pure JS). Measured: with default options it never reaches an integer solution past
 * 48 steps and returns a fractional answer marked feasible; depth-first node selection finds integer solutions.
 * So: depth-first, and its status is confirmed here by checking integrality ourselves. Its own `timeout` is checked
 * only between branch-and-bound nodes (a 10 s limit took 42 s), so it runs on a worker thread stopped at the limit.
 */
export function createJsLpSolver(): Solver {
  return {
    name: "jslp",
    acceptsStart: false,
    solve(model: MilpModel, opts: SolveOptions): SolveResult {
      const t0 = performance.now();
      const variables: Record<string, Record<string, number>> = {};
      const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {};
      const binaries: Record<string, 1> = {};
      const unrestricted: Record<string, 1> = {};
      const names = model.variables.map((v) => `x${v.name}`);
      model.variables.forEach((v, i) => {
        const col: Record<string, number> = {};
        const n = names[i]!;
        variables[n] = col;
        if (v.kind === "binary" && v.lb !== v.ub) binaries[n] = 1;
        if (v.lb < 0) unrestricted[n] = 1;
        // Bounds are rows in this solver; the implicit x ≥ 0 covers lb = 0.
        if (v.lb === v.ub) {
          constraints[`b_${n}`] = { equal: v.lb };
          col[`b_${n}`] = 1;
        } else {
          if (v.lb !== 0 && v.lb !== -Infinity) {
            constraints[`lb_${n}`] = { min: v.lb };
            col[`lb_${n}`] = 1;
          }
          if (v.ub !== Infinity && v.kind !== "binary") {
            constraints[`ub_${n}`] = { max: v.ub };
            col[`ub_${n}`] = 1;
          }
        }
      });
      model.objective.vars.forEach((v, k) => {
        variables[names[v]!]!["__obj"] = model.objective.coefs[k]!;
      });
      model.constraints.forEach((c, j) => {
        const key = `c${j}`;
        constraints[key] = c.sense === "=" ? { equal: c.rhs } : c.sense === "<=" ? { max: c.rhs } : { min: c.rhs };
        c.expr.vars.forEach((v, k) => {
          variables[names[v]!]![key] = c.expr.coefs[k]!;
        });
      });
      // Its own timeout first, so it can return an incumbent; the thread is stopped if it overruns that.
      const problem = { optimize: "__obj", opType: "max", constraints, variables, binaries, unrestricted, options: { timeout: Math.max(1, opts.timeLimitMs * 0.9), nodeSelection: "depth-first", tolerance: opts.mipRelGap ?? 1e-4 } };
      const run = callWithDeadline<Record<string, number | boolean | undefined>>("javascript-lp-solver", "Solve", problem, opts.timeLimitMs);
      const solveMs = performance.now() - t0;
      if (!run.done) {
        const status = run.reason === "deadline" ? "timeout" : "error";
        return { status, objective: null, values: null, gapPct: null, solveMs, detail: run.reason === "deadline" ? `no integer solution within the ${fmtS(opts.timeLimitMs)} time limit` : run.detail };
      }
      const r = run.value;
      if (!r.feasible) {
        const timedOut = solveMs >= opts.timeLimitMs * 0.85;
        return { status: timedOut ? "timeout" : "infeasible", objective: null, values: null, gapPct: null, solveMs, detail: timedOut ? `no integer solution within the ${fmtS(opts.timeLimitMs)} time limit` : "javascript-lp-solver found the model infeasible" };
      }
      const values = new Float64Array(model.variables.length);
      names.forEach((n, i) => {
        const x = r[n];
        values[i] = typeof x === "number" ? x : 0;
      });
      const integral = model.variables.every((v, i) => v.kind !== "binary" || Math.abs(values[i]! - Math.round(values[i]!)) < 1e-6);
      const timedOut = solveMs >= opts.timeLimitMs * 0.85;
      // Its "feasible" may be a fractional relaxation at the timeout: without integrality it is no solution.
      const status = !integral ? (timedOut ? "timeout" : "error") : timedOut ? "feasible" : "optimal";
      return {
        status,
        objective: integral ? Number(r.result) + model.objectiveConstant : null,
        values: integral ? values : null,
        gapPct: null,
        solveMs,
        detail: integral ? (timedOut ? "integer solution at the time limit" : "integer solution") : "fractional answer (binaries not integral): no solution",
      };
    },
  };
}

function fmtS(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

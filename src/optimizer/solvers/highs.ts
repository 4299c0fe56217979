import loadHighs from "highs";
import type { MilpModel } from "../milp.ts";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "./types.ts";

/** Relative MIP gap HiGHS must prove before it says optimal (default). */
const MIP_REL_GAP = 1e-4;

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let instance: Promise<Highs> | null = null;

// HiGHS model status codes (highs.constants.modelStatus).
const OPTIMAL = 7;
const INFEASIBLE = 8;
const UNBOUNDED_OR_INFEASIBLE = 9;
const TIME_LIMIT = 13;
const ITERATION_LIMIT = 14;
const SOLUTION_LIMIT = 16;
const STATUS_TEXT: Record<number, string> = { 7: "Optimal", 8: "Infeasible", 9: "Primal infeasible or unbounded", 10: "Unbounded", 13: "Time limit reached", 14: "Iteration limit reached", 16: "Solution limit reached" };

/** Our rows as HiGHS data: one CSR row per constraint, in model order (so values come back in model order). */
function toModelData(h: Highs, m: MilpModel) {
  const nRows = m.constraints.length;
  const starts = new Int32Array(nRows + 1);
  let nnz = 0;
  m.constraints.forEach((c, i) => {
    starts[i] = nnz;
    nnz += c.expr.vars.length;
  });
  starts[nRows] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const rowLower = new Float64Array(nRows);
  const rowUpper = new Float64Array(nRows);
  m.constraints.forEach((c, i) => {
    indices.set(c.expr.vars, starts[i]!);
    values.set(c.expr.coefs, starts[i]!);
    rowLower[i] = c.sense === "<=" ? -h.infinity : c.rhs;
    rowUpper[i] = c.sense === ">=" ? h.infinity : c.rhs;
  });
  const nCols = m.variables.length;
  const colCost = new Float64Array(nCols);
  m.objective.vars.forEach((v, k) => {
    colCost[v] = m.objective.coefs[k]!;
  });
  return {
    numCols: nCols,
    numRows: nRows,
    sense: h.constants.objectiveSense.maximize,
    offset: m.objectiveConstant,
    colCost,
    colLower: Float64Array.from(m.variables, (v) => (v.lb === -Infinity ? -h.infinity : v.lb)),
    colUpper: Float64Array.from(m.variables, (v) => (v.ub === Infinity ? h.infinity : v.ub)),
    rowLower,
    rowUpper,
    matrix: { format: "csr" as const, numRows: nRows, numCols: nCols, starts, indices, values },
    integrality: Int32Array.from(m.variables, (v) => (v.kind === "binary" ? 1 : 0)),
  };
}

function statusOf(code: number, hasValues: boolean): SolveStatus {
  if (code === OPTIMAL) return "optimal";
  if (code === INFEASIBLE || code === UNBOUNDED_OR_INFEASIBLE) return "infeasible";
  if (code === TIME_LIMIT || code === ITERATION_LIMIT || code === SOLUTION_LIMIT) return hasValues ? "feasible" : "timeout";
  return "error";
}

/** The gap HiGHS proved (it may stop on the absolute gap before the relative one), else the one it was asked for. */
function reportedGapPct(hm: { info: { get(k: string): unknown } }, status: SolveStatus, asked: number): number | null {
  if (status !== "optimal") return null;
  const g = Number(hm.info.get("mip_gap"));
  return Number.isFinite(g) ? Math.max(0, g) * 100 : asked * 100;
}

/**
 * HiGHS (WebAssembly, MIT), given the model as arrays in our own column order (no LP text to parse), with an
 * optional MIP start: the controller passes its previous plan's on/off decisions, which HiGHS completes and uses
 * as its first incumbent.
 */
export async function createHighsSolver(): Promise<Solver> {
  instance ??= loadHighs();
  const highs = await instance;
  return {
    name: "highs",
    acceptsStart: true,
    solve(model: MilpModel, opts: SolveOptions): SolveResult {
      const t0 = performance.now();
      const gap = opts.mipRelGap ?? MIP_REL_GAP;
      const hm = highs.createModel();
      try {
        hm.options.set("output_flag", false);
        hm.options.set("time_limit", Math.max(0.001, opts.timeLimitMs / 1000));
        hm.options.set("mip_rel_gap", gap);
        if (opts.mipAbsGapEur !== undefined) hm.options.set("mip_abs_gap", opts.mipAbsGapEur);
        if (opts.mipMaxNodes !== undefined) hm.options.set("mip_max_nodes", opts.mipMaxNodes);
        hm.options.set("mip_detect_symmetry", false);
        hm.passModel(toModelData(highs, model));
        if (opts.start && opts.start.vars.length) hm.setSolution({ indices: Int32Array.from(opts.start.vars), values: Float64Array.from(opts.start.values) });
        hm.run();
        const code = Number(hm.getModelStatus());
        const primal = Number(hm.info.get("primal_solution_status"));
        const hasValues = primal === 2; // 2 = feasible
        const status = statusOf(code, hasValues);
        const detail = STATUS_TEXT[code] ?? `HiGHS status ${code}`;
        const solveMs = performance.now() - t0;
        if (status !== "optimal" && status !== "feasible") return { status, objective: null, values: null, gapPct: null, solveMs, detail };
        const values = Float64Array.from(hm.getSolution().colValue);
        return { status, objective: hm.getObjectiveValue(), values, gapPct: reportedGapPct(hm, status, gap), solveMs, detail };
      } catch (e) {
        return { status: "error", objective: null, values: null, gapPct: null, solveMs: performance.now() - t0, detail: e instanceof Error ? e.message : String(e) };
      } finally {
        hm.dispose();
      }
    },
  };
}

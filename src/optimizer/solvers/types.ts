import type { MilpModel } from "../milp.ts";

/**
 * What a backend reports. `optimal`: proved optimal (within its gap); `feasible`: a solution but not proved optimal
 * (e.g. stopped by the time limit with an incumbent); `timeout` without a solution; `infeasible`; `error`.
 * A status is a claim, never trusted alone: every plan is verified (see verify.ts).
 */
export type SolveStatus = "optimal" | "feasible" | "infeasible" | "timeout" | "error";

export interface SolveResult {
  status: SolveStatus;
  /** € (maximised), as the solver reports it; null without a solution. */
  objective: number | null;
  /** One value per model variable, in model order; null without a solution. */
  values: Float64Array | null;
  /** Relative MIP gap in %, when the backend reports or guarantees one. */
  gapPct: number | null;
  solveMs: number;
  /** What the backend said, verbatim, for logs. */
  detail: string;
}

export interface SolveOptions {
  timeLimitMs: number;
  /** Relative MIP gap at which a backend may stop and call the result optimal (default 1e-4). */
  mipRelGap?: number;
  /**
   * Absolute MIP gap (€) at which a backend may stop: a relative gap alone is unreachable when the objective is
   * near zero (a summer day whose sales barely pay the electricity), where it would chase cents to the time limit.
   */
  mipAbsGapEur?: number;
  /**
   * Branch-and-bound nodes at which a backend stops with its incumbent: a limit that does not depend on the machine's
   * load, for simulations that must be reproducible (backends without it ignore it).
   */
  mipMaxNodes?: number;
  /** A MIP start: values for some variables (model indices), typically the previous plan's on/off decisions. */
  start?: { vars: number[]; values: number[] };
}

/** Synchronous on purpose: the daemon runs it in a worker thread; the simulator calls it directly. */
export interface Solver {
  readonly name: string;
  /** Whether `SolveOptions.start` is used (a MIP start); others ignore it. */
  readonly acceptsStart: boolean;
  solve(model: MilpModel, opts: SolveOptions): SolveResult;
}

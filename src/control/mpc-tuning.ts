import { stepsStartingBefore } from "../optimizer/plan-grid.ts";
import type { PlanTuning } from "./planner.ts";

/**
 * The measured mpc settings (README), as data the simulator and the daemon share. Overridable for studies and
 * benchmarks; the daemon's config may override the time limit (wall clock there, as plans must arrive in time).
 */
export interface MpcTuning {
  timeLimitMs: number;
  mipRelGap: number;
  /**
   * A relative gap alone never closes on a summer plan whose value is near zero; 1 € over a day is below any
   * decision that matters (a start costs 8 €). Measured on a July week re-planned hourly: mean solve 70 → 39 ms,
   * net value −1.2 € of 977 €.
   */
  mipAbsGapEur: number;
  /** Hours of binary on/off at the start of the horizon; beyond, a relaxed tail (re-decided later anyway). */
  integerH: number;
  /** How long a verified plan may be followed after the optimizer stops delivering ("held"), s. */
  heldMaxS: number;
}

export const MPC_TUNING: Readonly<MpcTuning> = {
  /**
   * A plan must come in time for its period; with the previous plan as a warm start HiGHS always holds an incumbent,
   * so at the limit it returns that (verified like any answer). Measured: p50 ≈ 55–67 ms, p95 ≈ 800 ms in summer.
   */
  timeLimitMs: 500,
  mipRelGap: 1e-4,
  mipAbsGapEur: 1,
  integerH: 4,
  heldMaxS: 4 * 3600,
};

/** The oracle's strategic layer: a plan over at least a week, re-planned daily, binaries for its first day. */
export const ORACLE_TUNING = { horizonS: 7 * 86400, replanS: 86400, timeLimitMs: 120_000, integerS: 86400 } as const;

/** The solver settings of one plan on a grid. */
export function planTuning(t: MpcTuning, grid: readonly number[]): PlanTuning {
  return { timeLimitMs: t.timeLimitMs, mipRelGap: t.mipRelGap, mipAbsGapEur: t.mipAbsGapEur, integerSteps: stepsStartingBefore(grid, t.integerH * 3600) };
}

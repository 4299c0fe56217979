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
  /** A deterministic cap (branch-and-bound nodes), for simulations whose results must not depend on the load. */
  mipMaxNodes?: number;
}

export const MPC_TUNING: Readonly<MpcTuning> = {
  /**
   * In the simulator the node cap below decides, so that a run gives the same result on a busy machine (a 500-ms
   * wall-clock cap made the heatwave −269.06 € alone and −269.3 € during the test suite); this is only a safety net.
   * The daemon replaces it with its config's wall-clock limit: on a plant a plan must come in time.
   */
  timeLimitMs: 600_000,
  mipRelGap: 1e-4,
  mipAbsGapEur: 1,
  integerH: 4,
  heldMaxS: 4 * 3600,
  /**
   * With the previous plan as a warm start HiGHS holds an incumbent from the first node, so at the cap it returns
   * that (verified like any answer). Measured: 500 nodes give the same results as the former 500-ms cap on an idle
   * machine (winter week 2,983.49 €, heatwave −269.06 €), and 200 already did on the winter week.
   */
  mipMaxNodes: 500,
};

/**
 * The oracle's strategic layer: a plan over at least a week, re-planned daily, binaries for its first day. As for
 * mpc, a node cap decides and the time limit is only a safety net, so that a study gives the same numbers on a busy
 * machine (a 120-s wall-clock limit could stop a solve on whatever incumbent it had).
 */
export const ORACLE_TUNING = { horizonS: 7 * 86400, replanS: 86400, timeLimitMs: 600_000, integerS: 86400, mipMaxNodes: 2000 } as const;

/** The solver settings of one plan on a grid. */
export function planTuning(t: MpcTuning, grid: readonly number[]): PlanTuning {
  return { timeLimitMs: t.timeLimitMs, mipRelGap: t.mipRelGap, mipAbsGapEur: t.mipAbsGapEur, integerSteps: stepsStartingBefore(grid, t.integerH * 3600), ...(t.mipMaxNodes !== undefined ? { mipMaxNodes: t.mipMaxNodes } : {}) };
}

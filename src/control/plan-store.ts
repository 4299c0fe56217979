import type { Plan } from "../optimizer/plan-types.ts";

/**
 * The ladder's memory, as data the API can read: the last verified plan and when it was made, and the last failure
 * to make one. Pure updates: each returns a new store.
 */
export interface PlanStore {
  plan: Plan | null;
  /** Plant time the plan was made for (its observation's time), ms. */
  madeAtMs: number;
  /** Why it was made ("period", "unit tripped", …). */
  trigger: string | null;
  solver: string | null;
  solveMs: number | null;
  gapPct: number | null;
  /** The last planning attempt that gave no usable plan, if it came after the plan in store. */
  lastFailure: { atMs: number; message: string } | null;
  /** The operators' overrides the plan was made around. */
  overrideIds: number[];
}

export function emptyPlanStore(): PlanStore {
  return { plan: null, madeAtMs: -Infinity, trigger: null, solver: null, solveMs: null, gapPct: null, lastFailure: null, overrideIds: [] };
}

export function storePlan(_prev: PlanStore, plan: Plan, atMs: number, info: { trigger: string; solver: string; solveMs: number; gapPct: number | null; overrideIds?: number[] }): PlanStore {
  return { plan, madeAtMs: atMs, trigger: info.trigger, solver: info.solver, solveMs: info.solveMs, gapPct: info.gapPct, lastFailure: null, overrideIds: info.overrideIds ?? [] };
}

export function storeFailure(prev: PlanStore, atMs: number, message: string): PlanStore {
  return { ...prev, lastFailure: { atMs, message } };
}

/** Seconds since the plan in store was made (Infinity without one). */
export function planAgeS(store: PlanStore, nowMs: number): number {
  return store.plan ? (nowMs - store.madeAtMs) / 1000 : Infinity;
}

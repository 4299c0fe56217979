import type { CycleFacts, ForecastFacts, ModeChangeFacts, PlanFacts } from "../store/types.ts";
import type { WritableHistory } from "../store/history.ts";

/**
 * What the cycle tells its history (capability-sized: the SQLite store behind it in the daemon, an in-memory list
 * in tests). cycle() commits the cycle with everything told since the previous one; idle() is housekeeping after
 * the cycle's writes, bounded in wall time.
 */
export interface DaemonHistory {
  cycle(c: CycleFacts): void;
  plan(p: PlanFacts): void;
  modeChange(m: ModeChangeFacts): void;
  forecasts(f: readonly ForecastFacts[]): void;
  idle(nowMs: number, budgetMs: number): void;
  /** Commits what was told since the last cycle (at a graceful stop). */
  flush(): void;
}

export function sqliteHistory(h: WritableHistory): DaemonHistory {
  return {
    cycle: (c) => h.writer.cycle(c),
    plan: (p) => h.writer.plan(p),
    modeChange: (m) => h.writer.modeChange(m),
    forecasts: (f) => h.writer.forecasts(f),
    idle: (nowMs, budgetMs) => void h.idle(nowMs, budgetMs),
    flush: () => h.writer.flush(),
  };
}

/** Keeps everything in memory (tests; a daemon run without a history file). */
export class MemoryHistory implements DaemonHistory {
  readonly cycles: CycleFacts[] = [];
  readonly plans: PlanFacts[] = [];
  readonly modeChanges: ModeChangeFacts[] = [];
  readonly forecastsMade: ForecastFacts[] = [];
  #pending: Array<() => void> = [];

  cycle(c: CycleFacts): void {
    for (const p of this.#pending) p();
    this.#pending = [];
    this.cycles.push({ ...c, samples: new Map(c.samples) });
  }
  plan(p: PlanFacts): void {
    this.#pending.push(() => this.plans.push(p));
  }
  modeChange(m: ModeChangeFacts): void {
    this.#pending.push(() => this.modeChanges.push(m));
  }
  forecasts(f: readonly ForecastFacts[]): void {
    this.#pending.push(() => this.forecastsMade.push(...f));
  }
  idle(): void {}
  flush(): void {
    for (const p of this.#pending) p();
    this.#pending = [];
  }
}

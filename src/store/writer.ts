import type Database from "better-sqlite3";
import { QUALITIES } from "../io/types.ts";
import { encodeFloats, deflateJson } from "./codec.ts";
import type { CycleFacts, ForecastFacts, ModeChangeFacts, PlanFacts, RunInfo } from "./types.ts";

/**
 * The daemon's writes into the history: one transaction per cycle holding the cycle's samples, its record, its
 * writes, and whatever happened since the last cycle (plans made on the worker, mode changes, forecasts). A plan
 * that arrives between cycles is committed with the next cycle, an I/O period later at most; the cycle is the unit
 * of what the daemon did, and one commit per cycle keeps the write cost flat (DESIGN §4).
 */
export class HistoryWriter {
  readonly #db: Database.Database;
  readonly #tagIds = new Map<string, number>();
  readonly #columnIds = new Map<string, number>();
  readonly #runId: number;
  #queued: Array<() => void> = [];
  readonly #st: ReturnType<typeof prepare>;
  readonly #commit: (c: CycleFacts) => void;

  constructor(db: Database.Database, run: RunInfo) {
    this.#db = db;
    this.#st = prepare(db);
    for (const r of db.prepare("SELECT id, name FROM tags").all() as { id: number; name: string }[]) this.#tagIds.set(r.name, r.id);
    for (const r of db.prepare("SELECT id, names FROM columns").all() as { id: number; names: string }[]) this.#columnIds.set(r.names, r.id);
    this.#runId = Number(db.prepare("INSERT INTO runs (started_wall_ms, pid, version, config, model, model_json) VALUES (?, ?, ?, ?, ?, ?)").run(run.startedWallMs, run.pid, run.version, run.config, run.model, run.modelJson ?? null).lastInsertRowid);
    this.#commit = db.transaction((c: CycleFacts) => this.#writeCycle(c));
  }

  get runId(): number {
    return this.#runId;
  }

  /** Commits the cycle and everything queued since the last one. Throws (and keeps the queue) if the commit fails. */
  cycle(c: CycleFacts): void {
    this.#commit(c);
    this.#queued = [];
  }

  /** Commits what is queued without a cycle (a graceful stop: a plan made after the last cycle is kept). */
  flush(): void {
    if (!this.#queued.length) return;
    this.#db.transaction(() => {
      for (const q of this.#queued) q();
    })();
    this.#queued = [];
  }

  plan(p: PlanFacts): void {
    this.#queued.push(() => {
      this.#st.plan.run(p.madeAtMs, this.#runId, p.trigger, p.status, p.objectiveEur, p.solver, p.solveMs, p.gapPct, p.message, p.plan ? deflateJson(p.plan) : null);
    });
  }

  modeChange(m: ModeChangeFacts): void {
    this.#queued.push(() => void this.#st.mode.run(m.timeMs, m.from, m.to, m.cause));
  }

  forecasts(fs: readonly ForecastFacts[]): void {
    this.#queued.push(() => {
      for (const f of fs) this.#st.forecast.run(f.issuedMs, f.quantity, f.source, f.why ?? null, encodeFloats(f.boundsMs), encodeFloats(f.values));
    });
  }

  tagId(name: string): number {
    let id = this.#tagIds.get(name);
    if (id === undefined) {
      id = Number(this.#st.tag.run(name).lastInsertRowid);
      this.#tagIds.set(name, id);
    }
    return id;
  }

  #columnsId(names: readonly string[]): number {
    const key = names.join(",");
    let id = this.#columnIds.get(key);
    if (id === undefined) {
      id = Number(this.#st.columns.run(key).lastInsertRowid);
      this.#columnIds.set(key, id);
    }
    return id;
  }

  #writeCycle(c: CycleFacts): void {
    for (const q of this.#queued) q();
    for (const [name, s] of c.samples) {
      const timeMs = Number.isFinite(s.sourceMs) ? Math.round(s.sourceMs) : c.timeMs;
      // Keyed by the source's own timestamp: a value re-read unchanged (same source time) is stored once.
      this.#st.measurement.run(timeMs, this.tagId(name), Number.isFinite(s.value) ? s.value : null, QUALITIES.indexOf(s.quality));
    }
    const names = Object.keys(c.record.values);
    const vals = encodeFloats(names.map((k) => c.record.values[k]!));
    this.#st.cycle.run(c.timeMs, this.#runId, c.record.durationS, c.record.mode, c.cause, c.record.hpStarts, c.planMadeAtMs, this.#columnsId(names), vals, c.cycleMs);
    for (const r of c.reports) this.#st.setpoint.run(c.timeMs, r.plc, r.ok ? 1 : 0, JSON.stringify(r.written), JSON.stringify(r.readBack), r.error ?? (r.mismatches.length ? `read back differs: ${r.mismatches.join(", ")}` : null));
  }
}

function prepare(db: Database.Database) {
  return {
    tag: db.prepare("INSERT INTO tags (name) VALUES (?)"),
    columns: db.prepare("INSERT INTO columns (names) VALUES (?)"),
    measurement: db.prepare("INSERT OR IGNORE INTO measurements (time_ms, tag_id, value, quality) VALUES (?, ?, ?, ?)"),
    // A plant clock stepping back (NTP on a real plant) would repeat a time: the first row is kept, never replaced.
    cycle: db.prepare("INSERT OR IGNORE INTO cycles (time_ms, run_id, duration_s, mode, cause, hp_starts, plan_made_at_ms, columns_id, vals, cycle_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    setpoint: db.prepare("INSERT OR IGNORE INTO setpoints (time_ms, plc, ok, written, read_back, error) VALUES (?, ?, ?, ?, ?, ?)"),
    plan: db.prepare("INSERT INTO plans (made_at_ms, run_id, trigger, status, objective_eur, solver, solve_ms, gap_pct, message, schedule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    mode: db.prepare("INSERT INTO mode_changes (time_ms, from_mode, to_mode, cause) VALUES (?, ?, ?, ?)"),
    forecast: db.prepare("INSERT INTO forecasts (issued_ms, quantity, source, why, bounds, vals) VALUES (?, ?, ?, ?, ?, ?)"),
  };
}

import type Database from "better-sqlite3";
import type { Mode } from "../control/types.ts";
import type { Plan } from "../optimizer/plan-types.ts";
import { decodeFloats, inflateJson } from "./codec.ts";
import { meansCursor } from "./retention.ts";
import type { PlanFacts } from "./types.ts";

/**
 * Queries on the history: what a restarting daemon takes over (last plan, last samples), what the forecasters
 * learn from (hourly means), and what export and report read (cycles, plans, mode changes, forecasts). Raw rows
 * where they are kept, 15-min means beyond (retention.ts).
 */
const HOUR_MS = 3_600_000;

/** A planning attempt as stored (its schedule null once retention has dropped it). */
export interface StoredPlan extends PlanFacts {
  id: number;
}

export interface StoredCycle {
  timeMs: number;
  durationS: number;
  mode: Mode;
  cause: string;
  hpStarts: number;
  planMadeAtMs: number | null;
  names: string[];
  values: Float64Array;
  /** "raw" (one cycle) or "15m" (a 15-min mean of cycles, after retention). */
  resolution: "raw" | "15m";
}

export interface HourlyMeans {
  startMs: number;
  values: Float64Array;
}

type PlanRow = { id: number; made_at_ms: number; trigger: string; status: string; objective_eur: number | null; solver: string | null; solve_ms: number | null; gap_pct: number | null; message: string | null; schedule: Buffer | null };

function toPlan(r: PlanRow): StoredPlan {
  return { id: r.id, madeAtMs: r.made_at_ms, trigger: r.trigger, status: r.status, objectiveEur: r.objective_eur, solver: r.solver, solveMs: r.solve_ms, gapPct: r.gap_pct, message: r.message, plan: r.schedule ? inflateJson<Plan>(r.schedule) : null };
}

export class HistoryReader {
  readonly #db: Database.Database;
  readonly #columns = new Map<number, string[]>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #names(id: number): string[] {
    let n = this.#columns.get(id);
    if (!n) {
      const r = this.#db.prepare("SELECT names FROM columns WHERE id = ?").get(id) as { names: string } | undefined;
      n = r ? r.names.split(",") : [];
      this.#columns.set(id, n);
    }
    return n;
  }

  /** The plant model of the newest run (as JSON), or null. */
  modelJson(): string | null {
    const r = this.#db.prepare("SELECT model_json FROM runs WHERE model_json IS NOT NULL ORDER BY id DESC LIMIT 1").get() as { model_json: string } | undefined;
    return r?.model_json ?? null;
  }

  /** The newest plan with a schedule (a verified plan), made at or before atMs. */
  lastVerifiedPlan(atMs = Number.MAX_SAFE_INTEGER): StoredPlan | null {
    const r = this.#db.prepare("SELECT * FROM plans WHERE schedule IS NOT NULL AND made_at_ms <= ? ORDER BY made_at_ms DESC, id DESC LIMIT 1").get(atMs) as PlanRow | undefined;
    return r ? toPlan(r) : null;
  }

  plans(fromMs: number, toMs: number, withSchedule = false): StoredPlan[] {
    const cols = withSchedule ? "*" : "id, made_at_ms, trigger, status, objective_eur, solver, solve_ms, gap_pct, message, NULL AS schedule";
    return (this.#db.prepare(`SELECT ${cols} FROM plans WHERE made_at_ms >= ? AND made_at_ms < ? ORDER BY made_at_ms, id`).all(fromMs, toMs) as PlanRow[]).map(toPlan);
  }

  lastCycle(): StoredCycle | null {
    const r = this.#db.prepare("SELECT * FROM cycles ORDER BY time_ms DESC LIMIT 1").get() as CycleRow | undefined;
    return r ? this.#cycle(r) : null;
  }

  /** Cycles in [fromMs, toMs) in time order: 15-min means where raw rows are gone (older than the raw window), then raw rows. */
  *cycles(fromMs: number, toMs: number): Generator<StoredCycle> {
    const firstRaw = (this.#db.prepare("SELECT min(time_ms) AS t FROM cycles WHERE time_ms >= ?").get(fromMs) as { t: number | null }).t ?? toMs;
    // Means are made for every bucket as it ends; only those whose raw rows are gone stand in for them.
    const means = this.#db.prepare("SELECT * FROM cycles_15m WHERE time_ms >= ? AND time_ms + 900000 <= ? ORDER BY time_ms, columns_id");
    for (const r of means.iterate(fromMs, Math.min(toMs, firstRaw)) as Iterable<Cycle15Row>) {
      yield { timeMs: r.time_ms, durationS: r.duration_s, mode: r.mode as Mode, cause: "15-min mean", hpStarts: r.hp_starts, planMadeAtMs: null, names: this.#names(r.columns_id), values: decodeFloats(r.vals), resolution: "15m" };
    }
    for (const r of this.#db.prepare("SELECT * FROM cycles WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms").iterate(fromMs, toMs) as Iterable<CycleRow>) yield this.#cycle(r);
  }

  /** The 15-min means of the cycles in [fromMs, toMs), raw rows or not (a long period at a glance; the bucket in progress is not there yet). */
  *cycleMeans(fromMs: number, toMs: number): Generator<StoredCycle> {
    for (const r of this.#db.prepare("SELECT * FROM cycles_15m WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms, columns_id").iterate(fromMs, toMs) as Iterable<Cycle15Row>) {
      yield { timeMs: r.time_ms, durationS: r.duration_s, mode: r.mode as Mode, cause: "15-min mean", hpStarts: r.hp_starts, planMadeAtMs: null, names: this.#names(r.columns_id), values: decodeFloats(r.vals), resolution: "15m" };
    }
  }

  /** The first and last cycle times held (raw or means), or null for an empty history. */
  span(): { fromMs: number; toMs: number } | null {
    const r = this.#db.prepare("SELECT min(t) AS a, max(t) AS b FROM (SELECT min(time_ms) AS t FROM cycles UNION ALL SELECT max(time_ms) FROM cycles UNION ALL SELECT min(time_ms) FROM cycles_15m UNION ALL SELECT max(time_ms) FROM cycles_15m)").get() as { a: number | null; b: number | null };
    return r.a === null || r.b === null ? null : { fromMs: r.a, toMs: r.b };
  }

  #cycle(r: CycleRow): StoredCycle {
    return { timeMs: r.time_ms, durationS: r.duration_s, mode: r.mode as Mode, cause: r.cause, hpStarts: r.hp_starts, planMadeAtMs: r.plan_made_at_ms, names: this.#names(r.columns_id), values: decodeFloats(r.vals), resolution: "raw" };
  }

  /** The newest good value of each tag at or before atMs, within maxAgeMs (what a restarting daemon may bridge). */
  lastGoodSamples(names: readonly string[], atMs: number, maxAgeMs: number): Map<string, { value: number; timeMs: number }> {
    const out = new Map<string, { value: number; timeMs: number }>();
    const q = this.#db.prepare("SELECT m.time_ms AS t, m.value AS v FROM measurements m JOIN tags g ON g.id = m.tag_id WHERE g.name = ? AND m.time_ms <= ? AND m.time_ms >= ? AND m.quality = 0 AND m.value IS NOT NULL ORDER BY m.time_ms DESC LIMIT 1");
    for (const n of names) {
      const r = q.get(n, atMs, atMs - maxAgeMs) as { t: number; v: number } | undefined;
      if (r) out.set(n, { value: r.v, timeMs: r.t });
    }
    return out;
  }

  /** Hourly means of a tag's good samples over [fromMs, toMs) (hour-aligned), NaN where nothing was recorded. */
  hourlyMeans(tag: string, fromMs: number, toMs: number): HourlyMeans {
    const startMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    const n = Math.max(0, Math.ceil((toMs - startMs) / HOUR_MS));
    const sum = new Float64Array(n);
    const count = new Float64Array(n);
    const id = (this.#db.prepare("SELECT id FROM tags WHERE name = ?").get(tag) as { id: number } | undefined)?.id;
    if (id !== undefined) {
      const add = (rows: Iterable<{ h: number; s: number; c: number }>) => {
        for (const r of rows) {
          const i = r.h - startMs / HOUR_MS;
          if (i >= 0 && i < n) {
            sum[i] = sum[i]! + r.s;
            count[i] = count[i]! + r.c;
          }
        }
      };
      const end = startMs + n * HOUR_MS;
      // The 15-min means up to the retention's cursor, raw samples after it (the buckets not averaged yet).
      const cursor = Math.min(end, Math.max(startMs, meansCursor(this.#db) ?? startMs));
      add(this.#db.prepare("SELECT time_ms / 3600000 AS h, sum(mean * n) AS s, sum(n) AS c FROM measurements_15m WHERE tag_id = ? AND time_ms >= ? AND time_ms < ? AND mean IS NOT NULL GROUP BY h").iterate(id, startMs, cursor) as Iterable<{ h: number; s: number; c: number }>);
      add(this.#db.prepare("SELECT time_ms / 3600000 AS h, sum(value) AS s, count(*) AS c FROM measurements WHERE tag_id = ? AND time_ms >= ? AND time_ms < ? AND quality = 0 AND value IS NOT NULL GROUP BY h").iterate(id, cursor, end) as Iterable<{ h: number; s: number; c: number }>);
    }
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = count[i]! > 0 ? sum[i]! / count[i]! : Number.NaN;
    return { startMs, values };
  }

  modeChanges(fromMs: number, toMs: number): { timeMs: number; from: string; to: Mode; cause: string }[] {
    return (this.#db.prepare("SELECT time_ms, from_mode, to_mode, cause FROM mode_changes WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms").all(fromMs, toMs) as { time_ms: number; from_mode: string; to_mode: string; cause: string }[]).map((r) => ({ timeMs: r.time_ms, from: r.from_mode, to: r.to_mode as Mode, cause: r.cause }));
  }

  forecasts(fromMs: number, toMs: number, quantity?: string): StoredForecast[] {
    const rows = this.#db.prepare(`SELECT * FROM forecasts WHERE issued_ms >= ? AND issued_ms < ?${quantity ? " AND quantity = ?" : ""} ORDER BY issued_ms, id`).all(...(quantity ? [fromMs, toMs, quantity] : [fromMs, toMs])) as ForecastRow[];
    return rows.map((r) => ({ id: r.id, issuedMs: r.issued_ms, quantity: r.quantity, source: r.source, why: r.why, boundsMs: [...decodeFloats(r.bounds)], values: [...decodeFloats(r.vals)], score: r.score ? (JSON.parse(r.score) as unknown) : null }));
  }
}

export interface StoredForecast {
  id: number;
  issuedMs: number;
  quantity: string;
  source: string;
  why: string | null;
  boundsMs: number[];
  values: number[];
  score: unknown;
}

type CycleRow = { time_ms: number; duration_s: number; mode: string; cause: string; hp_starts: number; plan_made_at_ms: number | null; columns_id: number; vals: Buffer };
type Cycle15Row = { time_ms: number; duration_s: number; mode: string; hp_starts: number; columns_id: number; vals: Buffer };
type ForecastRow = { id: number; issued_ms: number; quantity: string; source: string; why: string | null; bounds: Buffer; vals: Buffer; score: string | null };

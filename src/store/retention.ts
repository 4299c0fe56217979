import type Database from "better-sqlite3";
import { MODES } from "../control/types.ts";
import { decodeFloats, encodeFloats } from "./codec.ts";

/**
 * Retention with downsampling (DESIGN §4). Two jobs, each in slices of one 15-min bucket within a time budget, run
 * after a cycle's commit so a cycle is never delayed by more than the budget:
 * - means: as soon as a 15-min bucket is over, its raw samples and cycles are averaged into measurements_15m and
 *   cycles_15m (a cursor in meta says how far); per-tag questions over weeks (the forecasters' data) read those;
 * - pruning: raw rows (measurements, cycles, setpoints) older than `rawDays` and already averaged are deleted;
 *   means are kept `meansDays`, plan schedules `rawDays` (their summary `meansDays`), forecasts `forecastDays`.
 * Each bucket is one transaction: a crash leaves it done or untouched. A history far behind (a first start on an
 * old file) catches up over many cycles.
 */
export interface RetentionConfig {
  rawDays: number;
  meansDays: number;
  forecastDays: number;
}

export const DEFAULT_RETENTION: RetentionConfig = { rawDays: 30, meansDays: 1825, forecastDays: 400 };

const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** A bucket is averaged this long after its end: samples stamped by their source may arrive a little late. */
const SETTLE_MS = 60_000;

export interface SliceResult {
  /** Buckets averaged and buckets pruned in this slice. */
  buckets: number;
  /** How far the raw rows still to prune reach behind the cutoff (0 when caught up), ms. */
  behindMs: number;
}

const floorBucket = (t: number) => Math.floor(t / BUCKET_MS) * BUCKET_MS;

export class Retention {
  readonly #db: Database.Database;
  readonly #cfg: RetentionConfig;
  readonly #average: (b: number) => void;
  readonly #prune: (b: number) => void;
  readonly #st: ReturnType<typeof statements>;
  #lastLongMs = -Infinity;

  constructor(db: Database.Database, cfg: RetentionConfig = DEFAULT_RETENTION) {
    this.#db = db;
    this.#cfg = cfg;
    // Prepared once: slices run after every cycle, and preparing costs more than the queries themselves.
    this.#st = statements(db);
    this.#average = db.transaction((b: number) => this.#averageBucket(b));
    this.#prune = db.transaction((b: number) => this.#pruneBucket(b));
  }

  /** Averages finished buckets, then prunes raw buckets older than the raw window, until done or the budget (wall ms) is spent. */
  slice(nowMs: number, budgetMs: number): SliceResult {
    const t0 = performance.now();
    const spent = () => performance.now() - t0 >= budgetMs;
    let buckets = 0;
    for (;;) {
      const b = this.#nextToAverage();
      if (b === null || b + BUCKET_MS + SETTLE_MS > nowMs) break;
      this.#average(b);
      buckets++;
      if (spent()) return { buckets, behindMs: this.#behind(nowMs) };
    }
    const cutoff = floorBucket(nowMs - this.#cfg.rawDays * DAY_MS);
    const averaged = this.#cursor() ?? -Infinity;
    for (;;) {
      const oldest = this.#oldestRawMs();
      if (oldest === null || oldest >= cutoff || floorBucket(oldest) >= averaged) break;
      this.#prune(floorBucket(oldest));
      buckets++;
      if (spent()) return { buckets, behindMs: this.#behind(nowMs) };
    }
    // The long-term deletions are cheap range deletes; once a plant hour is enough.
    if (nowMs - this.#lastLongMs >= 3_600_000) {
      this.#dropOld(nowMs);
      this.#lastLongMs = nowMs;
    }
    return { buckets, behindMs: this.#behind(nowMs) };
  }

  #behind(nowMs: number): number {
    const oldest = this.#oldestRawMs();
    const cutoff = floorBucket(nowMs - this.#cfg.rawDays * DAY_MS);
    return oldest === null ? 0 : Math.max(0, cutoff - oldest);
  }

  /** The next bucket with raw rows at or after the means cursor (skipping empty stretches), or null. */
  #nextToAverage(): number | null {
    const from = this.#cursor() ?? -Infinity;
    const r = this.#st.nextRaw.get(from, from) as { t: number | null };
    return r.t === null ? null : floorBucket(r.t);
  }

  #oldestRawMs(): number | null {
    return (this.#st.oldestRaw.get() as { t: number | null }).t;
  }

  #cursor(): number | null {
    const r = this.#st.cursor.get() as { value: string } | undefined;
    return r ? Number(r.value) : null;
  }

  #averageBucket(b: number): void {
    const e = b + BUCKET_MS;
    const st = this.#st;
    st.averageSamples.run(b, b, e);
    const rows = st.bucketCycles.all(b, e) as { duration_s: number; mode: string; hp_starts: number; columns_id: number; vals: Buffer }[];
    const byColumns = new Map<number, typeof rows>();
    for (const r of rows) byColumns.set(r.columns_id, [...(byColumns.get(r.columns_id) ?? []), r]);
    for (const [columnsId, rs] of byColumns) {
      const m = meanCycle(rs);
      st.averageCycles.run(b, columnsId, m.durationS, m.mode, JSON.stringify(m.modeS), m.hpStarts, encodeFloats(m.values));
    }
    st.setCursor.run(String(e));
  }

  #pruneBucket(b: number): void {
    const e = b + BUCKET_MS;
    for (const d of this.#st.prune) d.run(b, e);
  }

  #dropOld(nowMs: number): void {
    const db = this.#db;
    const rawCut = nowMs - this.#cfg.rawDays * DAY_MS;
    const meansCut = nowMs - this.#cfg.meansDays * DAY_MS;
    db.transaction(() => {
      db.prepare("UPDATE plans SET schedule = NULL WHERE made_at_ms < ? AND schedule IS NOT NULL").run(rawCut);
      db.prepare("DELETE FROM plans WHERE made_at_ms < ?").run(meansCut);
      db.prepare("DELETE FROM mode_changes WHERE time_ms < ?").run(meansCut);
      db.prepare("DELETE FROM forecasts WHERE issued_ms < ?").run(nowMs - this.#cfg.forecastDays * DAY_MS);
      db.prepare("DELETE FROM cycles_15m WHERE time_ms < ?").run(meansCut);
      for (const { id } of db.prepare("SELECT id FROM tags").all() as { id: number }[]) db.prepare("DELETE FROM measurements_15m WHERE tag_id = ? AND time_ms < ?").run(id, meansCut);
    })();
  }
}

function statements(db: Database.Database) {
  return {
    nextRaw: db.prepare("SELECT min(t) AS t FROM (SELECT min(time_ms) AS t FROM measurements WHERE time_ms >= ? UNION ALL SELECT min(time_ms) FROM cycles WHERE time_ms >= ?)"),
    oldestRaw: db.prepare("SELECT min(t) AS t FROM (SELECT min(time_ms) AS t FROM measurements UNION ALL SELECT min(time_ms) FROM cycles UNION ALL SELECT min(time_ms) FROM setpoints)"),
    cursor: db.prepare("SELECT value FROM meta WHERE key = 'means_until_ms'"),
    setCursor: db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('means_until_ms', ?)"),
    averageSamples: db.prepare("INSERT OR REPLACE INTO measurements_15m (tag_id, time_ms, mean, min, max, n) SELECT tag_id, ?, avg(value), min(value), max(value), count(*) FROM measurements WHERE time_ms >= ? AND time_ms < ? AND quality = 0 AND value IS NOT NULL GROUP BY tag_id"),
    bucketCycles: db.prepare("SELECT duration_s, mode, hp_starts, columns_id, vals FROM cycles WHERE time_ms >= ? AND time_ms < ?"),
    averageCycles: db.prepare("INSERT OR REPLACE INTO cycles_15m (time_ms, columns_id, duration_s, mode, mode_s, hp_starts, vals) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    prune: ["measurements", "cycles", "setpoints"].map((t) => db.prepare(`DELETE FROM ${t} WHERE time_ms >= ? AND time_ms < ?`)),
  };
}

/** Up to when (exclusive) the 15-min means are made, or null before the first. */
export function meansCursor(db: Database.Database): number | null {
  const r = db.prepare("SELECT value FROM meta WHERE key = 'means_until_ms'").get() as { value: string } | undefined;
  return r ? Number(r.value) : null;
}

/** Duration-weighted means of cycle records (NaN cells skipped), the mode held longest, starts summed. */
export function meanCycle(rows: readonly { duration_s: number; mode: string; hp_starts: number; vals: Uint8Array }[]): { durationS: number; mode: string; modeS: Record<string, number>; hpStarts: number; values: Float64Array } {
  let durationS = 0;
  let hpStarts = 0;
  const modeS: Record<string, number> = Object.fromEntries(MODES.map((m) => [m, 0]));
  let sum: Float64Array | null = null;
  let weight: Float64Array | null = null;
  for (const r of rows) {
    const v = decodeFloats(r.vals);
    sum ??= new Float64Array(v.length);
    weight ??= new Float64Array(v.length);
    // A zero-length cycle (the first after a restart) still counts, with a token weight.
    const w = Math.max(r.duration_s, 1e-3);
    for (let k = 0; k < Math.min(v.length, sum.length); k++) {
      if (Number.isFinite(v[k]!)) {
        sum[k] = sum[k]! + v[k]! * w;
        weight[k] = weight[k]! + w;
      }
    }
    durationS += r.duration_s;
    hpStarts += r.hp_starts;
    modeS[r.mode] = (modeS[r.mode] ?? 0) + r.duration_s;
  }
  const values = new Float64Array(sum?.length ?? 0);
  for (let k = 0; k < values.length; k++) values[k] = weight![k]! > 0 ? sum![k]! / weight![k]! : Number.NaN;
  const mode = Object.entries(modeS).sort((a, b) => b[1] - a[1])[0]?.[0] ?? "rule";
  return { durationS, mode, modeS, hpStarts, values };
}

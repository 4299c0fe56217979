import type Database from "better-sqlite3";
import { MODES } from "../control/types.ts";
import { decodeFloats, encodeFloats } from "./codec.ts";

/**
 * Retention with downsampling (DESIGN §4): raw rows (measurements, cycles, setpoints) are kept `rawDays`, then
 * folded into 15-min means kept `meansDays`; plans keep their schedule `rawDays` and their summary `meansDays`;
 * forecasts are kept `forecastDays` (long enough to score them and compare seasons).
 *
 * It runs in slices of one 15-min bucket at a time within a time budget, after a cycle's commit, so a cycle is
 * never delayed by more than the budget; a history far behind (a first start on an old file) catches up over many
 * cycles. Each bucket is folded in one transaction: a crash leaves it either folded or untouched.
 */
export interface RetentionConfig {
  rawDays: number;
  meansDays: number;
  forecastDays: number;
}

export const DEFAULT_RETENTION: RetentionConfig = { rawDays: 30, meansDays: 1825, forecastDays: 400 };

const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export interface SliceResult {
  buckets: number;
  /** How far the raw rows still to fold reach behind the cutoff (0 when caught up), ms. */
  behindMs: number;
}

export class Retention {
  readonly #db: Database.Database;
  readonly #cfg: RetentionConfig;
  readonly #fold: (b: number) => void;
  #lastLongMs = -Infinity;

  constructor(db: Database.Database, cfg: RetentionConfig = DEFAULT_RETENTION) {
    this.#db = db;
    this.#cfg = cfg;
    this.#fold = db.transaction((b: number) => this.#foldBucket(b));
  }

  /** Folds buckets older than the raw window until done or the budget (wall ms) is spent. */
  slice(nowMs: number, budgetMs: number): SliceResult {
    const t0 = performance.now();
    const cutoff = Math.floor((nowMs - this.#cfg.rawDays * DAY_MS) / BUCKET_MS) * BUCKET_MS;
    let buckets = 0;
    for (;;) {
      const oldest = this.#oldestRawMs();
      if (oldest === null || oldest >= cutoff) break;
      this.#fold(Math.floor(oldest / BUCKET_MS) * BUCKET_MS);
      buckets++;
      if (performance.now() - t0 >= budgetMs) break;
    }
    // The long-term deletions are cheap range deletes; once a plant hour is enough.
    if (nowMs - this.#lastLongMs >= 3_600_000 && performance.now() - t0 < budgetMs) {
      this.#dropOld(nowMs);
      this.#lastLongMs = nowMs;
    }
    const oldest = this.#oldestRawMs();
    return { buckets, behindMs: oldest === null ? 0 : Math.max(0, cutoff - oldest) };
  }

  #oldestRawMs(): number | null {
    // Per tag (a primary-key seek each): a min over all tags at once would scan the table.
    let t = (this.#db.prepare("SELECT min(t) AS t FROM (SELECT min(time_ms) AS t FROM cycles UNION ALL SELECT min(time_ms) FROM setpoints)").get() as { t: number | null }).t;
    const q = this.#db.prepare("SELECT min(time_ms) AS t FROM measurements WHERE tag_id = ?");
    for (const { id } of this.#db.prepare("SELECT id FROM tags").all() as { id: number }[]) {
      const m = (q.get(id) as { t: number | null }).t;
      if (m !== null && (t === null || m < t)) t = m;
    }
    return t;
  }

  #foldBucket(b: number): void {
    const e = b + BUCKET_MS;
    const db = this.#db;
    for (const { id } of db.prepare("SELECT id FROM tags").all() as { id: number }[]) {
      db.prepare("INSERT OR REPLACE INTO measurements_15m (tag_id, time_ms, mean, min, max, n) SELECT tag_id, ?, avg(value), min(value), max(value), count(*) FROM measurements WHERE tag_id = ? AND time_ms >= ? AND time_ms < ? AND quality = 0 AND value IS NOT NULL GROUP BY tag_id").run(b, id, b, e);
      db.prepare("DELETE FROM measurements WHERE tag_id = ? AND time_ms >= ? AND time_ms < ?").run(id, b, e);
    }
    const rows = db.prepare("SELECT duration_s, mode, hp_starts, columns_id, vals FROM cycles WHERE time_ms >= ? AND time_ms < ?").all(b, e) as { duration_s: number; mode: string; hp_starts: number; columns_id: number; vals: Buffer }[];
    const byColumns = new Map<number, typeof rows>();
    for (const r of rows) byColumns.set(r.columns_id, [...(byColumns.get(r.columns_id) ?? []), r]);
    for (const [columnsId, rs] of byColumns) {
      const m = meanCycle(rs);
      db.prepare("INSERT OR REPLACE INTO cycles_15m (time_ms, columns_id, duration_s, mode, mode_s, hp_starts, vals) VALUES (?, ?, ?, ?, ?, ?, ?)").run(b, columnsId, m.durationS, m.mode, JSON.stringify(m.modeS), m.hpStarts, encodeFloats(m.values));
    }
    db.prepare("DELETE FROM cycles WHERE time_ms >= ? AND time_ms < ?").run(b, e);
    db.prepare("DELETE FROM setpoints WHERE time_ms >= ? AND time_ms < ?").run(b, e);
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

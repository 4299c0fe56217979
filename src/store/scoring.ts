import type Database from "better-sqlite3";
import { scoreForecasts, type ForecastScore } from "../forecast/learned/index.ts";
import { decodeFloats } from "./codec.ts";
import { MEASURED_AS } from "../forecast/daemon-forecast.ts";
import type { ForecastAccuracyRow } from "../report/history-period.ts";
import type { HistoryReader } from "./reader.ts";

/**
 * Scores each forecast the daemon planned on once its horizon has passed (DESIGN §4: "each forecast's error is
 * measured against what happened and kept in the history"): MAE by lead hour and skill against persistence, as
 * JSON in the forecast's row. A cursor in meta remembers how far it got, so each call looks at new rows only.
 */

const HOUR_MS = 3_600_000;

export function scoreDueForecasts(db: Database.Database, reader: HistoryReader, nowMs: number, maxRows: number): number {
  const cursor = Number((db.prepare("SELECT value FROM meta WHERE key = 'forecasts_scored_id'").get() as { value: string } | undefined)?.value ?? 0);
  const rows = db.prepare("SELECT id, issued_ms, quantity, bounds, vals FROM forecasts WHERE id > ? ORDER BY id LIMIT ?").all(cursor, maxRows) as { id: number; issued_ms: number; quantity: string; bounds: Buffer; vals: Buffer }[];
  let scored = 0;
  let last = cursor;
  const update = db.prepare("UPDATE forecasts SET score = ? WHERE id = ?");
  for (const r of rows) {
    const bounds = [...decodeFloats(r.bounds)];
    const endMs = bounds[bounds.length - 1]!;
    // Its horizon (and the hour after, for the last hourly mean) must have passed.
    if (endMs + HOUR_MS > nowMs) break;
    const tag = (MEASURED_AS as Record<string, string>)[r.quantity];
    if (tag) {
      const actual = reader.hourlyMeans(tag, r.issued_ms - 2 * HOUR_MS, endMs + HOUR_MS);
      const score = scoreForecasts([{ issuedAtMs: r.issued_ms, stepBoundsMs: bounds, valuesKw: [...decodeFloats(r.vals)] }], actual);
      update.run(JSON.stringify(score), r.id);
      scored++;
    }
    last = r.id;
  }
  if (last !== cursor) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('forecasts_scored_id', ?)").run(String(last));
  return scored;
}

export type LeadAccuracy = ForecastAccuracyRow;

/** The scores of a period's forecasts pooled by quantity and lead (hour-weighted), at the leads asked for. */
export function pooledAccuracy(scored: readonly { quantity: string; score: unknown }[], leadsH: readonly number[] = [1, 6, 24]): LeadAccuracy[] {
  const acc = new Map<string, { h: number; e: number; p: number; n: number }>();
  for (const f of scored) {
    const s = f.score as ForecastScore | null;
    if (!s?.buckets) continue;
    for (const b of s.buckets) {
      if (!leadsH.includes(b.leadToH) || b.maeKw === null || b.persistenceMaeKw === null || !(b.hours > 0)) continue;
      const key = `${f.quantity}|${b.leadToH}`;
      const a = acc.get(key) ?? { h: 0, e: 0, p: 0, n: 0 };
      a.h += b.hours;
      a.e += b.maeKw * b.hours;
      a.p += b.persistenceMaeKw * b.hours;
      a.n++;
      acc.set(key, a);
    }
  }
  return [...acc]
    .map(([key, a]) => {
      const [quantity, lead] = key.split("|");
      const mae = a.e / a.h;
      const pers = a.p / a.h;
      return { quantity: quantity!, leadH: Number(lead), maeKw: mae, persistenceMaeKw: pers, skill: pers > 0 ? 1 - mae / pers : 0, n: a.n };
    })
    .sort((x, y) => x.quantity.localeCompare(y.quantity) || x.leadH - y.leadH);
}

import { openHistoryForReading, openHistoryForWriting, type OpenedHistory } from "./open.ts";
import { HistoryReader } from "./reader.ts";
import { HistoryWriter } from "./writer.ts";
import { DEFAULT_RETENTION, Retention, type RetentionConfig, type SliceResult } from "./retention.ts";
import type { RunInfo } from "./types.ts";
import { scoreDueForecasts } from "./scoring.ts";
import { OpsStore } from "./ops-store.ts";

/** The daemon's history: one writer, its reader, its retention, over one SQLite file. */
export interface WritableHistory {
  file: string;
  migration: OpenedHistory["migration"];
  writer: HistoryWriter;
  reader: HistoryReader;
  retention: Retention;
  /** Users, sessions, overrides, alarms and the audit log (the operators' side of the same file). */
  ops: OpsStore;
  /** Housekeeping after a cycle (retention slices, scoring forecasts whose horizon has passed), within a wall-time budget. */
  idle(nowMs: number, budgetMs: number): SliceResult;
  /** Scores up to maxRows forecasts whose horizon has passed; returns how many. */
  scoreDue(nowMs: number, maxRows: number): number;
  close(): void;
}

export function openWritableHistory(file: string, run: RunInfo, retention: RetentionConfig = DEFAULT_RETENTION): WritableHistory {
  const h = openHistoryForWriting(file);
  try {
    const writer = new HistoryWriter(h.db, run);
    const r = new Retention(h.db, retention);
    const reader = new HistoryReader(h.db);
    let nextScoringMs = -Infinity;
    return {
      file,
      migration: h.migration,
      writer,
      reader,
      retention: r,
      ops: new OpsStore(h.db),
      idle: (nowMs, budgetMs) => {
        const t0 = performance.now();
        const slice = r.slice(nowMs, budgetMs);
        // Forecasts come every re-plan period: a look every few plant minutes, a few rows at a time, keeps up.
        if (nowMs >= nextScoringMs && performance.now() - t0 < budgetMs) {
          scoreDueForecasts(h.db, reader, nowMs, 10);
          nextScoringMs = nowMs + 120_000;
        }
        return slice;
      },
      scoreDue: (nowMs, maxRows) => scoreDueForecasts(h.db, reader, nowMs, maxRows),
      close: () => h.close(),
    };
  } catch (e) {
    h.close();
    throw e;
  }
}

/** `anyVersion`: an older schema too (its cycles are readable since version 1; the daemon upgrades it when it opens it). */
export function openReadableHistory(file: string, o: { anyVersion?: boolean } = {}): { reader: HistoryReader; close(): void } {
  const h = openHistoryForReading(file, o);
  return { reader: new HistoryReader(h.db), close: () => h.close() };
}

import { openHistoryForReading, openHistoryForWriting, type OpenedHistory } from "./open.ts";
import { HistoryReader } from "./reader.ts";
import { HistoryWriter } from "./writer.ts";
import { DEFAULT_RETENTION, Retention, type RetentionConfig, type SliceResult } from "./retention.ts";
import type { RunInfo } from "./types.ts";

/** The daemon's history: one writer, its reader, its retention, over one SQLite file. */
export interface WritableHistory {
  file: string;
  migration: OpenedHistory["migration"];
  writer: HistoryWriter;
  reader: HistoryReader;
  retention: Retention;
  /** Housekeeping after a cycle (retention slices), within a wall-time budget. */
  idle(nowMs: number, budgetMs: number): SliceResult;
  close(): void;
}

export function openWritableHistory(file: string, run: RunInfo, retention: RetentionConfig = DEFAULT_RETENTION): WritableHistory {
  const h = openHistoryForWriting(file);
  try {
    const writer = new HistoryWriter(h.db, run);
    const r = new Retention(h.db, retention);
    return {
      file,
      migration: h.migration,
      writer,
      reader: new HistoryReader(h.db),
      retention: r,
      idle: (nowMs, budgetMs) => r.slice(nowMs, budgetMs),
      close: () => h.close(),
    };
  } catch (e) {
    h.close();
    throw e;
  }
}

export function openReadableHistory(file: string): { reader: HistoryReader; close(): void } {
  const h = openHistoryForReading(file);
  return { reader: new HistoryReader(h.db), close: () => h.close() };
}

import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Kpis } from "../report/kpis.ts";

/**
 * A study's folder: `study.json` (what the study is: its axes and every case with its key), `cases/<key>/` per
 * case (the run's own timeseries.csv, kpis.json, report.html, and `case.json` last, when it is complete), and
 * the tables made from them (`cases.csv`, `study.html`). A case folder without `case.json` is an interrupted run.
 */
export interface CaseRecord {
  key: string;
  study: string;
  index: number;
  controller: string;
  axes: Record<string, number | string | boolean>;
  kpis: Kpis;
}

export interface StudyCaseRef {
  index: number;
  key: string;
  controller: string;
  values: (number | string | boolean)[];
}

export interface StudyManifest {
  format: 1;
  name: string;
  description: string;
  scenario: string;
  controllers: string[];
  axes: { path: string; values: (number | string | boolean)[] }[];
  /** chaleur's source hash: shards merged together must come from the same code. */
  code: string;
  /** Hash of every case's key in order: the same study, whatever folder or machine ran it. */
  studyKey: string;
  cases: StudyCaseRef[];
  shard?: { index: number; count: number };
}

/** Case folders are named by the first 16 hex digits of the key (64 bits: no collision in any study size). */
export const caseDir = (out: string, key: string) => join(out, "cases", key.slice(0, 16));

/** Writes through a temporary name and a rename, so a killed process never leaves a half-written file. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The finished case under that key, or null (never run, interrupted, or another key's folder). */
export function readCase(out: string, key: string): CaseRecord | null {
  const f = join(caseDir(out, key), "case.json");
  if (!existsSync(f)) return null;
  try {
    const r = JSON.parse(readFileSync(f, "utf8")) as CaseRecord;
    return r.key === key && r.kpis ? r : null;
  } catch {
    return null; // a damaged record: the case runs again
  }
}

export function writeCase(out: string, rec: CaseRecord): void {
  mkdirSync(caseDir(out, rec.key), { recursive: true });
  writeAtomic(join(caseDir(out, rec.key), "case.json"), `${JSON.stringify(rec, null, 2)}\n`);
}

export function writeManifest(out: string, m: StudyManifest): void {
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, "study.json"), `${JSON.stringify(m, null, 1)}\n`);
}

export function caseFolders(out: string): string[] {
  const d = join(out, "cases");
  return existsSync(d) ? readdirSync(d) : [];
}

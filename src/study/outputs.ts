import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { csvCell } from "../report/csv-cell.ts";
import { writeAtomic, type CaseRecord, type StudyManifest } from "./case-store.ts";
import { renderStudyHtml, type StudyTable } from "../report/study-html.ts";

/** KPI fields as flat columns: a per-mode or per-unit object becomes one column per key (`mode_minutes_optimal`). */
export function flattenKpis(kpis: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(kpis)) {
    if (v && typeof v === "object") for (const [sub, x] of Object.entries(v as Record<string, unknown>)) out[`${k}_${sub}`] = typeof x === "number" ? x : null;
    else out[k] = typeof v === "number" ? v : null;
  }
  return out;
}

/** Columns in the first case's order, then any a later case adds (a mode only some cases reached), sorted. */
function kpiColumns(rows: Record<string, number | null>[]): string[] {
  const first = rows[0] ? Object.keys(rows[0]) : [];
  const extra = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!first.includes(k)) extra.add(k);
  return [...first, ...[...extra].sort()];
}


export function studyTable(m: StudyManifest, records: CaseRecord[], failed: { index: number; message: string }[]): StudyTable {
  const flat = records.map((r) => flattenKpis(r.kpis));
  const kpis = kpiColumns(flat);
  const byIndex = new Map(records.map((r, i) => [r.index, flat[i]!]));
  const errors = new Map(failed.map((f) => [f.index, f.message]));
  const rows = m.cases
    .filter((c) => byIndex.has(c.index) || errors.has(c.index))
    .map((c) => ({ index: c.index, key: c.key, controller: c.controller, values: c.values, status: errors.has(c.index) ? `failed: ${errors.get(c.index)}` : "ok", kpis: byIndex.get(c.index) ?? {} }));
  const present = new Set(rows.map((r) => r.index));
  return { name: m.name, description: m.description, scenario: m.scenario, controllers: m.controllers, axes: m.axes, totalCases: m.cases.length, missing: m.cases.filter((c) => !present.has(c.index)).map((c) => c.index), kpis, rows, ...(m.shard ? { shard: m.shard } : {}) };
}

/** cases.csv: one row per case (its axes, then every KPI), in the study's case order. */
export function casesCsv(t: StudyTable): string {
  const head = ["case", "controller", ...t.axes.map((a) => a.path), "status", "key", ...t.kpis];
  const lines = [head.map(csvCell).join(",")];
  for (const r of t.rows) lines.push([r.index, r.controller, ...r.values, r.status, r.key.slice(0, 16), ...t.kpis.map((k) => r.kpis[k] ?? null)].map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}

/** uPlot, from chaleur's own dependencies: the page draws its charts without a network. */
function uplotAssets(): { js: string; css: string } {
  const req = createRequire(import.meta.url);
  const dir = join(req.resolve("uplot/package.json"), "..", "dist");
  return { js: readFileSync(join(dir, "uPlot.iife.min.js"), "utf8"), css: readFileSync(join(dir, "uPlot.min.css"), "utf8") };
}

export function writeStudyOutputs(out: string, m: StudyManifest, records: CaseRecord[], failed: { index: number; message: string }[]): { csv: string; html: string } {
  const t = studyTable(m, records, failed);
  const files = { csv: join(out, "cases.csv"), html: join(out, "study.html") };
  writeAtomic(files.csv, casesCsv(t));
  writeAtomic(files.html, renderStudyHtml(t, uplotAssets()));
  return files;
}

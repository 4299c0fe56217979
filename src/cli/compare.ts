import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/errors.ts";
import { compareRuns, type CompareRun } from "../report/compare.ts";
import { runInfoProblem, type RunInfo } from "../report/run-info.ts";
import { parseTimeseriesCsv } from "../report/value-breakdown.ts";
import { checkOutputFile } from "./output-path.ts";

/**
 * `chaleur compare RUN… [--out FILE]` (DESIGN §9): reads the output folders of `chaleur simulate` and writes one
 * HTML page putting them side by side (src/report/compare.ts). Every refusal is one line naming the file.
 */
export interface CompareOptions {
  runs: string[];
  out?: string;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, "", what, code === "ENOENT" ? "no such file" : String(code ?? e));
  }
}

function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(file, "", "valid JSON", e instanceof Error ? e.message : String(e));
  }
}

function readRun(dir: string): CompareRun {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError(dir, "", "a run folder written by chaleur simulate (timeseries.csv, kpis.json)", "no such folder");
  }
  if (!isDir) throw new InputError(dir, "", "a run folder written by chaleur simulate (timeseries.csv, kpis.json)", "it is a file");
  const files = { kpis: join(dir, "kpis.json"), timeseries: join(dir, "timeseries.csv"), run: join(dir, "run.json") };
  const kpis = readJson(files.kpis, "kpis.json from chaleur simulate");
  if (typeof kpis !== "object" || kpis === null || Array.isArray(kpis)) throw new InputError(files.kpis, "", "a JSON object of KPIs (kpis.json from chaleur simulate)");
  // Older runs have no run.json: they still compare on KPIs and charts, not on value by use and by day.
  let info: RunInfo | null = null;
  if (exists(files.run)) {
    const data = readJson(files.run, "run.json from chaleur simulate");
    const problem = runInfoProblem(data);
    if (problem) throw new InputError(files.run, problem.field, problem.expected);
    info = data as RunInfo;
    info.sets ??= [];
  }
  const series = parseTimeseriesCsv(readText(files.timeseries, "timeseries.csv from chaleur simulate"), files.timeseries, info?.physics_step_s);
  return { dir, files, info, kpis: kpis as Record<string, unknown>, series };
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Compares the runs and writes the page (compare.html unless --out); returns the file and a few console lines. */
export function runCompare(opts: { runs: string[]; out?: string }): { file: string; summary: string } {
  if (opts.runs.length < 2) throw new InputError("compare", "", "at least two run folders (chaleur compare out/a out/b)", `got ${opts.runs.length}`);
  // The output is checked first: a refusal to write should not come after reading a year of CSV.
  const file = checkOutputFile("--out", opts.out ?? "compare.html");
  const runs = opts.runs.map(readRun);
  const c = compareRuns(runs);
  writeFileSync(file, c.html);
  return { file, summary: [...c.summary, `  report: ${file}`].join("\n") };
}

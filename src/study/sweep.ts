import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import Tinypool from "tinypool";
import { isBuilt } from "../runtime/module-path.ts";
import { InputError } from "../config/errors.ts";
import { DEFAULT_SOLVER } from "../optimizer/solvers/index.ts";
import { caseKey, codeHash } from "./case-key.ts";
import { caseDir, readCase, writeCase, writeManifest, type CaseRecord, type StudyManifest } from "./case-store.ts";
import type { CaseTask } from "./case-worker.ts";
import { caseCount, expandCases, loadCaseScenario, loadStudy, MAX_CASES_WITHOUT_YES, shardCases, type Study, type StudyCase } from "./study.ts";
import { writeStudyOutputs } from "./outputs.ts";
import { relative } from "node:path";

export interface SweepOptions {
  studyFile: string;
  out: string;
  /** Worker threads (default: as many as cores). */
  workers?: number;
  shard?: { index: number; count: number };
  /** Allow more than 10,000 cases. */
  yes?: boolean;
  solver?: string;
  /** Fraction of this run's cases done, in-flight cases counted by their own progress. */
  onProgress?: (fraction: number) => void;
  /** One line per finished case (for logs of batch jobs, where there is no progress bar). */
  onCase?: (line: string) => void;
  /** Makes and checks the output folder, once the study is known to be good (nothing is written for a bad one). */
  prepareOut?: (out: string) => void;
  /** Aborting (Ctrl-C) stops the workers; finished cases are kept and the tables written. */
  signal?: AbortSignal;
}

export interface SweepResult {
  study: Study;
  total: number;
  inThisRun: number;
  reused: number;
  ran: number;
  failed: { index: number; message: string }[];
  interrupted: boolean;
  files: { csv: string; html: string };
  records: CaseRecord[];
}

const axesOf = (study: Study, c: StudyCase) => Object.fromEntries(study.axes.map((a, k) => [a.path, c.values[k]!]));

function caseLabel(study: Study, c: StudyCase): string {
  return `study '${study.name}', case ${c.index}: ${c.controller}${study.axes.map((a, k) => `, ${a.path}=${String(c.values[k])}`).join("")}`;
}

export function buildManifest(study: Study, cases: StudyCase[], keys: string[], shard?: { index: number; count: number }): StudyManifest {
  const refs = cases.map((c, i) => ({ index: c.index, key: keys[i]!, controller: c.controller, values: c.values }));
  return {
    format: 1,
    name: study.name,
    description: study.description,
    scenario: relative(process.cwd(), study.scenarioFile),
    controllers: study.controllers,
    axes: study.axes,
    code: codeHash(),
    studyKey: createHash("sha256").update(keys.join("\n")).digest("hex"),
    cases: refs,
    ...(shard ? { shard } : {}),
  };
}

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const study = loadStudy(opts.studyFile);
  const total = caseCount(study);
  if (total > MAX_CASES_WITHOUT_YES && !opts.yes) {
    throw new InputError(study.file, "axes", `at most ${MAX_CASES_WITHOUT_YES.toLocaleString("en")} cases, or --yes`, `${study.axes.map((a) => `${a.values.length} (${a.path})`).join(" × ")} × ${study.controllers.length} controllers = ${total.toLocaleString("en")}`);
  }
  const solver = opts.solver ?? DEFAULT_SOLVER;
  const cases = expandCases(study);
  const mine = opts.shard ? shardCases(cases, opts.shard) : cases;
  // The threads start now, loading chaleur while this thread keys the cases: on two cores that start-up is a
  // good part of a short study's time. They go unused if every case turns out to be done already.
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), mine.length));
  const pool = mine.length > 0 && !opts.signal?.aborted ? new Tinypool({ filename: caseWorkerEntry(), minThreads: workers, maxThreads: workers }) : null;
  // A thread that dies (out of memory) fails its case, not the study.
  pool?.on("error", () => {});
  let keys: string[];
  try {
    // Every case is loaded (and keyed) before any runs: a combination the scenario refuses stops the study here.
    keys = cases.map((c) => caseKey(loadCaseScenario(study, c), c.controller, solver));
    opts.prepareOut?.(opts.out);
  } catch (e) {
    await pool?.destroy();
    throw e;
  }
  const manifest = buildManifest(study, cases, keys, opts.shard);
  writeManifest(opts.out, manifest);

  const records = new Map<number, CaseRecord>();
  const todo: StudyCase[] = [];
  for (const c of mine) {
    const done = readCase(opts.out, keys[c.index]!);
    if (done) records.set(c.index, { ...done, index: c.index, study: study.name });
    else todo.push(c);
  }
  const reused = records.size;
  const failed: { index: number; message: string }[] = [];
  let interrupted = false;

  if (pool && (todo.length === 0 || opts.signal?.aborted)) await pool.destroy();
  else if (pool) {
    const inFlight = new Map<number, number>();
    let finished = 0;
    const report = () => {
      let f = finished;
      for (const v of inFlight.values()) f += v;
      opts.onProgress?.(f / todo.length);
    };
    const onAbort = () => {
      interrupted = true;
      void pool.destroy();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    // As many cases in flight as threads, each taken from the list when one ends: a study of 10,000 cases does
    // not open 10,000 message channels at once.
    let next = 0;
    const runOne = async (c: StudyCase) => {
      const key = keys[c.index]!;
      const { port1, port2 } = new MessageChannel();
      port1.on("message", (f: number) => {
        inFlight.set(c.index, f);
        report();
      });
      const task: CaseTask = { scenarioFile: study.scenarioFile, sets: c.sets, controller: c.controller, solver, outDir: caseDir(opts.out, key), label: caseLabel(study, c), port: port2 };
      try {
        const kpis = (await pool.run(task, { transferList: [port2] })) as CaseRecord["kpis"];
        const rec: CaseRecord = { key, study: study.name, index: c.index, controller: c.controller, axes: axesOf(study, c), kpis };
        writeCase(opts.out, rec);
        records.set(c.index, rec);
        opts.onCase?.(`case ${c.index + 1}/${total} ${caseLabel(study, c).replace(/^.*?: /, "")}: value ${kpis.value_eur.toFixed(2)} €`);
      } catch (e) {
        if (!interrupted) {
          const message = e instanceof Error ? e.message : String(e);
          failed.push({ index: c.index, message });
          opts.onCase?.(`case ${c.index + 1}/${total} failed: ${message}`);
        }
      } finally {
        port1.close();
        inFlight.delete(c.index);
        finished++;
        report();
      }
    };
    try {
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (!interrupted && next < todo.length) await runOne(todo[next++]!);
        }),
      );
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
      if (!interrupted) await pool.destroy();
    }
  }
  const ordered = [...records.values()].sort((a, b) => a.index - b.index);
  const files = writeStudyOutputs(opts.out, manifest, ordered, failed);
  return { study, total, inThisRun: mine.length, reused, ran: records.size - reused, failed: failed.sort((a, b) => a.index - b.index), interrupted, files, records: ordered };
}

/** The case runner's thread entry: the built JavaScript, or (from the sources) an entry that loads tsx first. */
function caseWorkerEntry(): string {
  return new URL(isBuilt(import.meta.url) ? "./case-worker.js" : "./case-worker-entry.mjs", import.meta.url).href;
}

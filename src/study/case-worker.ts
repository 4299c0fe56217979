import type { MessagePort } from "node:worker_threads";
import { loadScenario } from "../config/scenario.ts";
import type { SetPath } from "../config/set-paths.ts";
import { simulateScenario } from "../sim/run.ts";
import type { Kpis } from "../report/kpis.ts";

/** One case of a sweep, run on a worker thread (tinypool): the same `simulateScenario` as `chaleur simulate`. */
export interface CaseTask {
  scenarioFile: string;
  sets: SetPath[];
  controller: string;
  solver: string;
  outDir: string;
  /** What the report says about where the case came from. */
  label: string;
  /** Fractions done go back on it (one bar for the whole study in the main thread). */
  port?: MessagePort;
}

export default async function runCase(task: CaseTask): Promise<Kpis> {
  const sc = loadScenario(task.scenarioFile, task.sets);
  sc.description = `${sc.description} [${task.label}]`;
  let last = -1;
  const onProgress = task.port
    ? (f: number) => {
        // Whole percents only: a year of 1-min steps would otherwise post half a million messages.
        const pct = Math.floor(f * 100);
        if (pct !== last) task.port!.postMessage((last = pct) / 100);
      }
    : undefined;
  try {
    const r = await simulateScenario(sc, task.controller, task.outDir, { solver: task.solver, sets: task.sets.map((s) => s.text), ...(onProgress ? { onProgress } : {}) });
    return r.kpis;
  } finally {
    task.port?.close();
  }
}

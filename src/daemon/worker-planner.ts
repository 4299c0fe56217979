import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { PlantModel } from "../model/plant-model.ts";
import type { PlanRequest, PlanResult, Planner } from "../control/planner.ts";
import { isBuilt, siblingUrl } from "../runtime/module-path.ts";

export interface WorkerPlannerOptions {
  model: PlantModel;
  solver: string;
  /** Module exporting createSolver(name); default the shipped backends (src/optimizer/solvers/index.ts). */
  solverModule?: string;
  /** Past the request's own time limit, how long before the worker is stopped (ms). */
  graceMs?: number;
}

const SOLVERS_MODULE = fileURLToPath(siblingUrl("../optimizer/solvers/index", import.meta.url));
const WORKER_FILE = fileURLToPath(siblingUrl("./plan-worker", import.meta.url));

/**
 * Plans on a worker thread so that the I/O cycle never waits for a solver. One request at a time (the cycle never
 * asks for a second while one is in flight). A solve that overruns its limit, or a worker that dies, fails that
 * request with the reason and the worker is replaced at the next request.
 */
export class WorkerPlanner implements Planner {
  readonly #o: Required<WorkerPlannerOptions>;
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  #nextId = 1;
  #pending: { id: number; resolve(r: PlanResult): void; reject(e: Error): void; timer: NodeJS.Timeout } | null = null;
  #closed = false;
  /** Workers started (for tests and logs: a crash or an overrun starts a new one). */
  starts = 0;

  constructor(o: WorkerPlannerOptions) {
    this.#o = { solverModule: SOLVERS_MODULE, graceMs: 1000, ...o };
  }

  #start(): Promise<void> {
    this.starts++;
    const workerData = { model: this.#o.model, solver: this.#o.solver, solverModule: this.#o.solverModule };
    // Built: the thread runs the JavaScript beside this file. From the sources it runs TypeScript through tsx's API:
    // `--import tsx` in a worker's execArgv does not reach its entry, and under a test runner the parent's loader is
    // not tsx at all.
    const boot = `import("tsx/esm/api").then((t) => t.tsImport(${JSON.stringify(WORKER_FILE)}, ${JSON.stringify(import.meta.url)}))`;
    const w = isBuilt(import.meta.url) ? new Worker(WORKER_FILE, { workerData }) : new Worker(boot, { eval: true, workerData });
    this.#worker = w;
    const ready = new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          w.off("message", onMsg);
          resolve();
        }
      };
      w.on("message", onMsg);
      w.once("error", reject);
      w.once("exit", (code) => reject(new Error(`planner worker exited with code ${code} while starting`)));
    });
    w.on("message", (m: { id?: number; result?: PlanResult }) => {
      const p = this.#pending;
      if (m.id === undefined || !p || p.id !== m.id) return;
      clearTimeout(p.timer);
      this.#pending = null;
      p.resolve(m.result!);
    });
    const lost = (why: string) => {
      if (this.#worker !== w) return;
      this.#worker = null;
      this.#ready = null;
      const p = this.#pending;
      if (p) {
        clearTimeout(p.timer);
        this.#pending = null;
        p.reject(new Error(why));
      }
    };
    w.on("error", (e) => lost(`planner worker crashed: ${e.message}`));
    w.on("exit", (code) => lost(`planner worker exited (code ${code})`));
    return ready;
  }

  async plan(req: PlanRequest): Promise<PlanResult> {
    if (this.#closed) throw new Error("planner is closed");
    if (this.#pending) throw new Error("planner is busy: one request at a time");
    this.#ready ??= this.#start();
    await this.#ready;
    const w = this.#worker!;
    const id = this.#nextId++;
    const limitMs = req.options.timeLimitMs + this.#o.graceMs;
    return new Promise<PlanResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = null;
        reject(new Error(`planner: no answer within ${(limitMs / 1000).toFixed(1)} s; solver stopped`));
        // A solver stuck in native or tight JS code cannot be interrupted: the thread is.
        if (this.#worker === w) {
          this.#worker = null;
          this.#ready = null;
        }
        void w.terminate();
      }, limitMs);
      this.#pending = { id, resolve, reject, timer };
      w.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const p = this.#pending;
    if (p) {
      clearTimeout(p.timer);
      this.#pending = null;
      p.reject(new Error("planner closed"));
    }
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.terminate();
  }
}

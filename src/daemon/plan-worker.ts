import { parentPort, workerData } from "node:worker_threads";
import type { PlantModel } from "../model/plant-model.ts";
import { planNow, type PlanRequest } from "../control/planner.ts";
import type { Solver } from "../optimizer/solvers/types.ts";

/**
 * The solver's thread: takes plan requests (plain data), answers plan results. The model is sent once at start.
 * `solverModule` names a module exporting `createSolver(name)`: the shipped backends by default, a test's fault
 * (a solver that hangs, crashes or returns a plan that fails verification) when a test injects one.
 */
interface Init {
  model: PlantModel;
  solver: string;
  solverModule: string;
}

const init = workerData as Init;
const { createSolver } = (await import(init.solverModule)) as { createSolver(name: string): Promise<Solver> };
const solver = await createSolver(init.solver);

parentPort!.on("message", (msg: { id: number; req: PlanRequest }) => {
  const result = planNow(solver, init.model, msg.req);
  parentPort!.postMessage({ id: msg.id, result });
});
parentPort!.postMessage({ ready: true });

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../config/scenario.ts";
import type { Controller } from "../control/types.ts";
import { createRuleController } from "../control/rule.ts";
import { InputError } from "../config/errors.ts";
import { buildInputs, type ScenarioInputs } from "./inputs.ts";
import { createMpcController } from "../control/mpc.ts";
import { createOracleController } from "../control/oracle.ts";
import { MPC_TUNING, ORACLE_TUNING, planTuning, type MpcTuning } from "../control/mpc-tuning.ts";
import { planGrid, stepsStartingBefore } from "../optimizer/plan-grid.ts";
import { createSolver, DEFAULT_SOLVER } from "../optimizer/solvers/index.ts";
import { noisyForecaster, perfectForecaster } from "./forecaster.ts";
import { runSimulation, type RunOptions, type SimulationResult } from "./engine.ts";
import { computeKpis, type Kpis } from "../report/kpis.ts";
import { writeTimeseriesCsv } from "../report/timeseries-csv.ts";
import { buildReportInput } from "../report/run-report.ts";
import { renderReport } from "../report/html.ts";
import { runInfoOf } from "../report/run-info.ts";

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

import { CONTROLLERS } from "../control/controller-names.ts";

export { CONTROLLERS };
export type ControllerName = (typeof CONTROLLERS)[number];

export interface ControllerOptions {
  solver?: string;
  tuning?: Partial<MpcTuning>;
  onFailure?: (timeMs: number, message: string) => void;
}

export async function makeController(name: string, sc: Scenario, inputs: ScenarioInputs, opts: ControllerOptions = {}): Promise<Controller> {
  if (name === "rule") return createRuleController(sc.model, sc.control.periodS);
  if (name !== "mpc" && name !== "oracle") throw new InputError("--controller", "", `one of ${CONTROLLERS.join(", ")}`, `got '${name}'`);
  const solver = await createSolver(opts.solver ?? DEFAULT_SOLVER);
  const { stepS, horizonS, coarseAfterS, coarseStepS } = sc.control;
  const grid = planGrid({ horizonS, stepS, ...(coarseAfterS !== undefined && coarseStepS !== undefined ? { coarseAfterS, coarseStepS } : {}) });
  const tune: MpcTuning = { ...MPC_TUNING, ...opts.tuning };
  const plan = planTuning(tune, grid);
  const common = {
    model: sc.model,
    solver,
    grid,
    periodS: sc.control.periodS,
    ...plan,
    heldMaxS: tune.heldMaxS,
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
  };
  if (name === "mpc") return createMpcController({ ...common, name, forecast: noisyForecaster(sc, inputs), replanS: sc.control.replanS });
  const strategicGrid = planGrid({ horizonS: Math.max(ORACLE_TUNING.horizonS, horizonS), stepS, ...(coarseAfterS !== undefined && coarseStepS !== undefined ? { coarseAfterS, coarseStepS } : {}) });
  // The oracle: perfect forecasts; a plan over at least a week re-planned daily, followed every control period.
  return createOracleController({
    ...common,
    name,
    forecast: perfectForecaster(sc, inputs),
    replanS: sc.control.periodS,
    strategicGrid,
    strategicReplanS: ORACLE_TUNING.replanS,
    strategicTimeLimitMs: ORACLE_TUNING.timeLimitMs,
    strategicMaxNodes: ORACLE_TUNING.mipMaxNodes,
    strategicIntegerSteps: stepsStartingBefore(strategicGrid, ORACLE_TUNING.integerS),
  });
}

export interface RunOutputs {
  result: SimulationResult;
  kpis: Kpis;
  files: { timeseries: string; kpis: string; report: string; run: string };
}

/** Simulates a scenario with a controller and writes timeseries.csv, kpis.json, report.html and run.json into outDir. */
export async function simulateScenario(sc: Scenario, controllerName: string, outDir: string, opts: RunOptions & ControllerOptions & { sets?: readonly string[] } = {}): Promise<RunOutputs> {
  const inputs = buildInputs(sc);
  const controller = await makeController(controllerName, sc, inputs, opts);
  const result = runSimulation(sc, inputs, controller, opts);
  const kpis = computeKpis(result);
  mkdirSync(outDir, { recursive: true });
  const files = { timeseries: join(outDir, "timeseries.csv"), kpis: join(outDir, "kpis.json"), report: join(outDir, "report.html"), run: join(outDir, "run.json") };
  writeTimeseriesCsv(result, files.timeseries);
  writeFileSync(files.kpis, `${JSON.stringify(kpis, null, 2)}\n`);
  writeFileSync(files.report, renderReport(buildReportInput(result, kpis)));
  // What `chaleur compare` needs to name the run and value its flows (opts.sets: the --set texts, as given).
  writeFileSync(files.run, `${JSON.stringify(runInfoOf(sc, controllerName, opts.sets ?? [], VERSION), null, 2)}\n`);
  return { result, kpis, files };
}

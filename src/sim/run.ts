import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../config/scenario.ts";
import type { Controller } from "../control/types.ts";
import { createRuleController } from "../control/rule.ts";
import { InputError } from "../config/errors.ts";
import { buildInputs, type ScenarioInputs } from "./inputs.ts";
import { createMpcController } from "../control/mpc.ts";
import { createSolver, DEFAULT_SOLVER } from "../optimizer/solvers/index.ts";
import { noisyForecaster, perfectForecaster } from "./forecaster.ts";
import { runSimulation, type RunOptions, type SimulationResult } from "./engine.ts";
import { computeKpis, type Kpis } from "../report/kpis.ts";
import { writeTimeseriesCsv } from "../report/timeseries-csv.ts";
import { buildReportInput } from "../report/run-report.ts";
import { renderReport } from "../report/html.ts";

export const CONTROLLERS = ["rule", "mpc", "oracle"] as const;
export type ControllerName = (typeof CONTROLLERS)[number];

export interface ControllerOptions {
  solver?: string;
  onFailure?: (timeMs: number, message: string) => void;
}

/** MPC tuning (assumed, see README): a relaxed tail beyond 4 h and a 0.5 % gap keep a 24-h solve fast. */
const MPC_INTEGER_H = 4;
const MPC_GAP = 0.005;
const ORACLE_HORIZON_S = 7 * 86400;

export async function makeController(name: string, sc: Scenario, inputs: ScenarioInputs, opts: ControllerOptions = {}): Promise<Controller> {
  if (name === "rule") return createRuleController(sc.model, sc.control.periodS);
  if (name !== "mpc" && name !== "oracle") throw new InputError("--controller", "", `one of ${CONTROLLERS.join(", ")}`, `got '${name}'`);
  const solver = await createSolver(opts.solver ?? DEFAULT_SOLVER);
  const stepS = sc.control.stepS;
  const oracle = name === "oracle";
  // The oracle sees the truth over at least a week (or the whole scenario) and re-plans daily.
  const horizonS = oracle ? Math.max(ORACLE_HORIZON_S, sc.control.horizonS) : sc.control.horizonS;
  return createMpcController({
    name,
    model: sc.model,
    solver,
    forecast: oracle ? perfectForecaster(sc, inputs) : noisyForecaster(sc, inputs),
    horizonSteps: Math.round(horizonS / stepS),
    stepS,
    replanS: oracle ? 86400 : sc.control.replanS,
    periodS: sc.control.periodS,
    timeLimitMs: oracle ? 120_000 : 10_000,
    mipRelGap: MPC_GAP,
    integerSteps: Math.round(((oracle ? 86400 : MPC_INTEGER_H * 3600) / stepS)),
    heldMaxS: 4 * 3600,
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
  });
}

export interface RunOutputs {
  result: SimulationResult;
  kpis: Kpis;
  files: { timeseries: string; kpis: string; report: string };
}

/** Simulates a scenario with a controller and writes timeseries.csv, kpis.json and report.html into outDir. */
export async function simulateScenario(sc: Scenario, controllerName: string, outDir: string, opts: RunOptions & ControllerOptions = {}): Promise<RunOutputs> {
  const inputs = buildInputs(sc);
  const controller = await makeController(controllerName, sc, inputs, opts);
  const result = runSimulation(sc, inputs, controller, opts);
  const kpis = computeKpis(result);
  mkdirSync(outDir, { recursive: true });
  const files = { timeseries: join(outDir, "timeseries.csv"), kpis: join(outDir, "kpis.json"), report: join(outDir, "report.html") };
  writeTimeseriesCsv(result, files.timeseries);
  writeFileSync(files.kpis, `${JSON.stringify(kpis, null, 2)}\n`);
  writeFileSync(files.report, renderReport(buildReportInput(result, kpis)));
  return { result, kpis, files };
}

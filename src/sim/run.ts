import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../config/scenario.ts";
import type { Controller } from "../control/types.ts";
import { createRuleController } from "../control/rule.ts";
import { InputError } from "../config/errors.ts";
import { buildInputs } from "./inputs.ts";
import { runSimulation, type RunOptions, type SimulationResult } from "./engine.ts";
import { computeKpis, type Kpis } from "../report/kpis.ts";
import { writeTimeseriesCsv } from "../report/timeseries-csv.ts";
import { buildReportInput } from "../report/run-report.ts";
import { renderReport } from "../report/html.ts";

export const CONTROLLERS = ["rule", "mpc", "oracle"] as const;
export type ControllerName = (typeof CONTROLLERS)[number];

export function makeController(name: string, sc: Scenario): Controller {
  switch (name) {
    case "rule":
      return createRuleController(sc.model, sc.control.periodS);
    case "mpc":
    case "oracle":
      throw new InputError("--controller", "", "'rule' (the mpc and oracle controllers come with the optimizer)", `got '${name}'`);
    default:
      throw new InputError("--controller", "", `one of ${CONTROLLERS.join(", ")}`, `got '${name}'`);
  }
}

export interface RunOutputs {
  result: SimulationResult;
  kpis: Kpis;
  files: { timeseries: string; kpis: string; report: string };
}

/** Simulates a scenario with a controller and writes timeseries.csv, kpis.json and report.html into outDir. */
export function simulateScenario(sc: Scenario, controllerName: string, outDir: string, opts: RunOptions = {}): RunOutputs {
  const controller = makeController(controllerName, sc);
  const inputs = buildInputs(sc);
  const result = runSimulation(sc, inputs, controller, opts);
  const kpis = computeKpis(result);
  mkdirSync(outDir, { recursive: true });
  const files = { timeseries: join(outDir, "timeseries.csv"), kpis: join(outDir, "kpis.json"), report: join(outDir, "report.html") };
  writeTimeseriesCsv(result, files.timeseries);
  writeFileSync(files.kpis, `${JSON.stringify(kpis, null, 2)}\n`);
  writeFileSync(files.report, renderReport(buildReportInput(result, kpis)));
  return { result, kpis, files };
}

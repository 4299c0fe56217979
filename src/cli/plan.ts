import { uniformGrid } from "../optimizer/plan-grid.ts";
import { writeFileSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { readTextFile } from "../config/load.ts";
import { loadModel, type PlantModel } from "../config/plant-model.ts";
import { parseTimeSeriesCsv } from "../data/csv-series.ts";
import { toCplexLp } from "../optimizer/lp-format.ts";
import { optimizePlan, type PlanOutcome } from "../optimizer/optimize.ts";
import type { PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import { createSolver } from "../optimizer/solvers/index.ts";
import { formatPlanTable } from "./plan-table.ts";

const COLUMNS = [
  ["it_heat_kw", "kW", true],
  ["outdoor_temp_c", "°C", true],
  ["solar_w_m2", "W/m²", false],
  ["price_el_eur_mwh", "€/MWh", true],
  ["dh_demand_kw", "kW", true],
] as const;

/** Reads a plan input CSV (`time` + the columns above, one row per plan step) into a forecast. */
export function readPlanInputs(file: string, m: PlantModel): PlanForecast {
  const text = readTextFile(file);
  const header = (text.split(/\r?\n/, 1)[0] ?? "").split(",").map((c) => c.trim());
  const series: Record<string, number[]> = {};
  let startMs = Number.NaN;
  let stepS = Number.NaN;
  let n = 0;
  for (const [col, unit, required] of COLUMNS) {
    if (!header.includes(col)) {
      if (required) throw new InputError(file, "header", `a column '${col}' (${unit})`, `got '${header.join(",")}'`);
      continue;
    }
    const { series: s, issues } = parseTimeSeriesCsv(text, file, col, unit);
    if (issues.length) throw new InputError(file, `line ${issues[0]!.line ?? "?"}`, "a complete, regular row for every plan step", issues[0]!.message);
    if (Number.isNaN(startMs)) ({ startMs, stepS, values: { length: n } } = s);
    series[col] = Array.from(s.values);
  }
  if (n < 2) throw new InputError(file, "rows", "at least two plan steps");
  if (stepS % 60 !== 0) throw new InputError(file, "time", "steps of whole minutes", `got ${stepS} s`);
  return {
    startMs,
    stepsS: uniformGrid(n, stepS),
    n,
    itHeatKw: series.it_heat_kw!,
    outdoorTempC: series.outdoor_temp_c!,
    solarWm2: series.solar_w_m2 ?? new Array<number>(n).fill(0),
    priceElEurPerMwh: series.price_el_eur_mwh!,
    dhDemandKw: series.dh_demand_kw!,
    hpAvailable: m.heatPumps.map(() => new Array<boolean>(n).fill(true)),
  };
}

/** The plant as a plan starts from when only the model is known: its initial store and greenhouse, units off. */
export function initialPlanState(m: PlantModel): PlanState {
  return {
    storageEnergyKwh: m.storage?.initialEnergyKwh ?? 0,
    ghTempC: m.greenhouse?.initialTempC ?? null,
    hps: m.heatPumps.map(() => ({ on: false, heatKw: 0, stateS: 1e9 })),
  };
}

export function planJson(o: PlanOutcome): object {
  return {
    status: o.status,
    objective: o.objectiveEur,
    objectiveUnit: "EUR (maximised: heat revenue − electricity − start costs − comfort penalties + stored-heat value)",
    solver: o.solver,
    solveMs: Math.round(o.solveMs * 10) / 10,
    gapPct: o.gapPct,
    message: o.message,
    steps: o.plan?.steps.map((s) => ({ ...s, time: new Date(s.timeMs).toISOString() })) ?? [],
  };
}

export async function runPlan(p: { model: string; inputs: string; solver: string; exportLp?: string; json: boolean; timeLimitMs: number }): Promise<number> {
  const m = loadModel(p.model);
  const f = readPlanInputs(p.inputs, m);
  const solver = await createSolver(p.solver);
  const o = optimizePlan(solver, m, f, initialPlanState(m), { timeLimitMs: p.timeLimitMs });
  if (p.exportLp) writeFileSync(p.exportLp, toCplexLp(o.model));
  if (p.json) console.log(JSON.stringify(planJson(o), null, 2));
  else console.log(formatPlanTable(m, o));
  return o.plan ? 0 : 1;
}

import { uniformGrid } from "../optimizer/plan-grid.ts";
import { writeFileSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { readTextFile } from "../config/load.ts";
import { loadModel } from "../config/plant-model.ts";
import { type PlantModel } from "../model/plant-model.ts";
import { parseIsoWithOffset, parseTimeSeriesCsv } from "../data/csv-series.ts";
import { toCplexLp } from "../optimizer/lp-format.ts";
import { optimizePlan, type PlanOutcome } from "../optimizer/optimize.ts";
import type { PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import { createSolver } from "../optimizer/solvers/index.ts";
import { formatPlanTable } from "./plan-table.ts";

/** Column, unit, required, physical range (a plan on a negative demand or a 900 °C day is refused, not solved). */
const COLUMNS = [
  ["it_heat_kw", "kW", true, [0, Infinity]],
  ["outdoor_temp_c", "°C", true, [-50, 60]],
  ["solar_w_m2", "W/m²", false, [0, 1500]],
  ["price_el_eur_mwh", "€/MWh", true, [-10_000, 10_000]],
  ["dh_demand_kw", "kW", true, [0, Infinity]],
] as const;

/**
 * A plan's inputs must be exactly one row per step, in order: the importers' repairs (dropping, interpolating,
 * re-ordering) suit a year of measured data, not a forecast the optimizer acts on, so each flaw refuses the file.
 */
function checkRowTimes(text: string, file: string): void {
  const rows: { line: number; t: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (i === 0 || l.trim() === "") return;
    const cell = (l.split(",", 1)[0] ?? "").trim();
    const t = parseIsoWithOffset(cell);
    if (t === null) throw new InputError(file, `line ${i + 1} column 'time'`, "an ISO 8601 time with offset, e.g. 2026-01-12T00:00:00+01:00", `got '${cell}'`);
    rows.push({ line: i + 1, t, text: cell });
  });
  // Order first: a swapped pair is reported as such, not as an irregular step.
  for (let k = 1; k < rows.length; k++) {
    const [a, b] = [rows[k - 1]!, rows[k]!];
    if (b.t <= a.t) throw new InputError(file, `line ${b.line} column 'time'`, "rows in increasing time order, one per plan step", `${b.text} is not after ${a.text} (line ${a.line})`);
  }
  for (let k = 2; k < rows.length; k++) {
    const stepMs = rows[1]!.t - rows[0]!.t;
    const [a, b] = [rows[k - 1]!, rows[k]!];
    if (b.t - a.t !== stepMs) throw new InputError(file, `line ${b.line} column 'time'`, `one row every ${stepMs / 60_000} min (the step of the first rows)`, `${b.text} is ${(b.t - a.t) / 60_000} min after ${a.text}`);
  }
}

/** Reads a plan input CSV (`time` + the columns above, one row per plan step) into a forecast. */
export function readPlanInputs(file: string, m: PlantModel): PlanForecast {
  const text = readTextFile(file);
  const header = (text.split(/\r?\n/, 1)[0] ?? "").split(",").map((c) => c.trim());
  checkRowTimes(text, file);
  const series: Record<string, number[]> = {};
  let startMs = Number.NaN;
  let stepS = Number.NaN;
  let n = 0;
  for (const [col, unit, required, [lo, hi]] of COLUMNS) {
    if (!header.includes(col)) {
      if (required) throw new InputError(file, "header", `a column '${col}' (${unit})`, `got '${header.join(",")}'`);
      continue;
    }
    const { series: s, issues } = parseTimeSeriesCsv(text, file, col, unit);
    const first = issues[0];
    if (first) {
      const why = first.message.replace(/^line \d+: /, "").replace(/; (dropped|filled by linear interpolation|placed by their time)$/, "");
      throw new InputError(file, first.line ? `line ${first.line} column '${col}'` : `column '${col}'`, "a value in every row", why);
    }
    const bad = Array.from(s.values).findIndex((v) => !(v >= lo && v <= hi));
    if (bad >= 0) throw new InputError(file, `line ${bad + 2} column '${col}'`, hi === Infinity ? `a value ≥ ${lo} ${unit}` : `a value from ${lo} to ${hi} ${unit}`, `got ${s.values[bad]}`);
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

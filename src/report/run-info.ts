/**
 * `run.json`, written beside a simulation's outputs: what `chaleur compare` needs to name a run and to value its
 * flows step by step (timeseries.csv holds the flows and the electricity price, not the model's prices). Pure: the
 * builder takes the scenario, the checker takes parsed JSON; reading and writing belong to the callers.
 */
import type { Scenario } from "../config/scenario.ts";

export const RUN_INFO_FORMAT = "chaleur-run/1";

/** The money side of value_eur (src/report/kpis.ts), in kpis.json's naming. */
export interface RunEconomics {
  heat_sale_eur_per_mwh: number;
  greenhouse_heat_eur_per_mwh: number;
  grid_fee_eur_per_mwh: number;
  comfort_penalty_eur_per_kh: number;
  /** Start cost per heat pump, by id (the timeseries columns are `<id>_heat_kw`, `<id>_elec_kw`). */
  start_cost_eur: Record<string, number>;
  /** The store's change is valued at the sale price × this efficiency, from this start content; null without a store. */
  storage: { efficiency: number; start_kwh: number } | null;
  /** The crop's band as kpis.ts judges discomfort (Paris local hours); null without a greenhouse. */
  comfort: { night_min_c: number; day_min_c: number; day_max_c: number; day_start_hour: number; day_end_hour: number } | null;
}

export interface RunInfo {
  format: string;
  chaleur_version: string;
  scenario: { name: string; file: string; description: string };
  controller: string;
  /** The `--set path=value` changes, as given; [] for none. */
  sets: string[];
  model: { name: string; file: string };
  start: string;
  end: string;
  physics_step_s: number;
  economics: RunEconomics;
}

export function runInfoOf(sc: Scenario, controller: string, sets: readonly string[], version: string): RunInfo {
  const m = sc.model;
  const g = m.greenhouse?.comfort;
  return {
    format: RUN_INFO_FORMAT,
    chaleur_version: version,
    scenario: { name: sc.name, file: sc.file, description: sc.description },
    controller,
    sets: [...sets],
    model: { name: m.name, file: m.file },
    start: new Date(sc.startMs).toISOString(),
    end: new Date(sc.endMs).toISOString(),
    physics_step_s: sc.physicsStepS,
    economics: {
      heat_sale_eur_per_mwh: m.economics.heatSaleEurPerMwh,
      greenhouse_heat_eur_per_mwh: m.economics.greenhouseHeatEurPerMwh,
      grid_fee_eur_per_mwh: m.economics.gridFeeEurPerMwh,
      comfort_penalty_eur_per_kh: m.economics.comfortPenaltyEurPerKh,
      start_cost_eur: Object.fromEntries(m.heatPumps.map((h) => [h.id, h.startCostEur])),
      // Unrounded: kpis.json rounds storage_start_kwh to 0.1 kWh.
      storage: m.storage ? { efficiency: m.storage.efficiency, start_kwh: m.storage.initialEnergyKwh } : null,
      comfort: g ? { night_min_c: g.nightMinC, day_min_c: g.dayMinC, day_max_c: g.dayMaxC, day_start_hour: g.dayStartHour, day_end_hour: g.dayEndHour } : null,
    },
  };
}

/** What is wrong with parsed run.json, as "field: expected …" for an InputError; null when it is usable. */
export function runInfoProblem(data: unknown): { field: string; expected: string } | null {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const num = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  if (!obj(data)) return { field: "", expected: "a JSON object (run.json from chaleur simulate)" };
  if (typeof data.controller !== "string") return { field: "controller", expected: "a string" };
  if (!obj(data.scenario) || typeof data.scenario.name !== "string") return { field: "scenario.name", expected: "a string" };
  if (data.sets !== undefined && !(Array.isArray(data.sets) && data.sets.every((s) => typeof s === "string"))) return { field: "sets", expected: "a list of strings" };
  const e = data.economics;
  if (!obj(e)) return { field: "economics", expected: "an object" };
  for (const k of ["heat_sale_eur_per_mwh", "greenhouse_heat_eur_per_mwh", "grid_fee_eur_per_mwh", "comfort_penalty_eur_per_kh"]) {
    if (!num(e[k])) return { field: `economics.${k}`, expected: "a number" };
  }
  if (!obj(e.start_cost_eur) || !Object.values(e.start_cost_eur).every(num)) return { field: "economics.start_cost_eur", expected: "numbers by heat-pump id" };
  if (e.storage !== null && !(obj(e.storage) && num(e.storage.efficiency) && num(e.storage.start_kwh))) return { field: "economics.storage", expected: "null or {efficiency, start_kwh}" };
  const c = e.comfort;
  if (c !== null && !(obj(c) && ["night_min_c", "day_min_c", "day_max_c", "day_start_hour", "day_end_hour"].every((k) => num(c[k])))) {
    return { field: "economics.comfort", expected: "null or {night_min_c, day_min_c, day_max_c, day_start_hour, day_end_hour}" };
  }
  return null;
}

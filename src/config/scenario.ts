import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "./errors.ts";
import { loadYamlFile, parseYaml, readTextFile, validate } from "./load.ts";
import { parseDurationS, parseInstantMs } from "./duration.ts";
import { gridStepCount } from "../optimizer/plan-grid.ts";
import { MAX_PLAN_STEPS, MAX_SIM_STEPS, scenarioSchema, type ScenarioFile } from "./scenario-schema.ts";
import { loadModel, modelFromData } from "./plant-model.ts";
import { applySets, withSets, type SetPath } from "./set-paths.ts";
import { type PlantModel } from "../model/plant-model.ts";

export type ScenarioEvent =
  | { type: "hp_trip"; unit: string; startMs: number; endMs: number }
  | { type: "network_outage"; startMs: number; endMs: number };

/** Whether an event of this type (for this unit, for a trip) is under way at a time. */
export function eventActive(sc: Pick<Scenario, "events">, type: ScenarioEvent["type"], timeMs: number, unit?: string): boolean {
  return sc.events.some((e) => e.type === type && timeMs >= e.startMs && timeMs < e.endMs && (e.type !== "hp_trip" || e.unit === unit));
}

export type WeatherSource =
  | { source: "synthetic"; shiftK: number; heatwave?: { startMs: number; endMs: number; maxC: number; minC: number } }
  | { source: "epw"; file: string; shiftK: number };

export type PriceSource = { source: "synthetic"; meanEurPerMwh: number } | { source: "entsoe"; file: string };
export type DemandSource = { source: "signature" } | { source: "shape"; file: string; meanKw?: number };

export interface Scenario {
  name: string;
  description: string;
  file: string;
  model: PlantModel;
  startMs: number;
  endMs: number;
  seed: number;
  physicsStepS: number;
  control: { periodS: number; horizonS: number; stepS: number; replanS: number; coarseAfterS?: number; coarseStepS?: number };
  weather: WeatherSource;
  prices: PriceSource;
  demand: DemandSource;
  events: ScenarioEvent[];
}

const ms = (iso: string) => parseInstantMs(iso)!;
const durMs = (iso: string) => parseDurationS(iso)! * 1000;

export function resolveScenario(f: ScenarioFile, file: string, model: PlantModel): Scenario {
  const dir = dirname(file);
  const startMs = ms(f.start);
  const durationS = parseDurationS(f.duration)!;
  if (durationS % f.physics_step_s !== 0) throw new InputError(file, "duration", `a whole number of physics steps (${f.physics_step_s} s)`);
  const periodS = f.control.period_min * 60;
  const stepS = f.control.step_min * 60;
  if (periodS % f.physics_step_s !== 0) throw new InputError(file, "control.period_min", `a whole number of physics steps (${f.physics_step_s} s)`, `got ${f.control.period_min} min`);
  if (stepS % f.physics_step_s !== 0) throw new InputError(file, "control.step_min", `a whole number of physics steps (${f.physics_step_s} s)`, `got ${f.control.step_min} min`);
  const { coarse_after_h: coarseH, coarse_step_min: coarseMin } = f.control;
  if ((coarseH === undefined) !== (coarseMin === undefined)) throw new InputError(file, coarseH === undefined ? "control.coarse_after_h" : "control.coarse_step_min", "both coarse_after_h and coarse_step_min, or neither");
  if (coarseMin !== undefined && (coarseMin * 60) % stepS !== 0) throw new InputError(file, "control.coarse_step_min", `a whole number of plan steps (${f.control.step_min} min)`, `got ${coarseMin} min`);
  if (coarseH !== undefined && (coarseH * 3600) % stepS !== 0) throw new InputError(file, "control.coarse_after_h", `a whole number of plan steps (${f.control.step_min} min)`, `got ${coarseH} h`);
  if (durationS / f.physics_step_s > MAX_SIM_STEPS) throw new InputError(file, "duration", `at most ${MAX_SIM_STEPS.toLocaleString("en")} physics steps`, `got ${(durationS / f.physics_step_s).toLocaleString("en")} steps of ${f.physics_step_s} s`);
  const horizonS = f.control.horizon_h * 3600;
  if (periodS > horizonS) throw new InputError(file, "control.period_min", `at most the horizon (${f.control.horizon_h} h)`, `got ${f.control.period_min} min`);
  const planSteps = gridStepCount({ horizonS, stepS, ...(coarseH !== undefined && coarseMin !== undefined ? { coarseAfterS: coarseH * 3600, coarseStepS: coarseMin * 60 } : {}) });
  if (planSteps > MAX_PLAN_STEPS) throw new InputError(file, "control", `at most ${MAX_PLAN_STEPS} plan steps over the horizon`, `got ${planSteps}: raise step_min or use coarse_after_h/coarse_step_min`);
  const endMs = startMs + durationS * 1000;
  const hpIds = new Set(model.heatPumps.map((h) => h.id));
  const events = f.events.map((e, i): ScenarioEvent => {
    const s = ms(e.start);
    if (s < startMs || s >= endMs) throw new InputError(file, `events[${i}].start`, `a time inside the scenario (${f.start} + ${f.duration})`, `got ${e.start}`);
    if (e.type === "hp_trip") {
      if (!hpIds.has(e.unit)) throw new InputError(file, `events[${i}].unit`, `one of the model's heat pumps (${[...hpIds].join(", ") || "none"})`, `got '${e.unit}'`);
      return { type: "hp_trip", unit: e.unit, startMs: s, endMs: s + durMs(e.duration) };
    }
    if (model.network.designKw === 0 && model.network.hotWaterKw === 0) throw new InputError(file, `events[${i}]`, "a model with a network");
    return { type: "network_outage", startMs: s, endMs: s + durMs(e.duration) };
  });
  const w = f.weather;
  const weather: WeatherSource =
    w.source === "epw"
      ? { source: "epw", file: resolve(dir, w.file), shiftK: w.shift_k }
      : {
          source: "synthetic",
          shiftK: w.shift_k,
          ...(w.heatwave ? { heatwave: { startMs: ms(w.heatwave.start), endMs: ms(w.heatwave.start) + durMs(w.heatwave.duration), maxC: w.heatwave.max_c, minC: w.heatwave.min_c } } : {}),
        };
  const p = f.prices;
  const prices: PriceSource = p.source === "entsoe" ? { source: "entsoe", file: resolve(dir, p.file) } : { source: "synthetic", meanEurPerMwh: p.mean_eur_per_mwh };
  const d = f.demand;
  const demand: DemandSource = d.source === "shape" ? { source: "shape", file: resolve(dir, d.file), ...(d.mean_kw !== undefined ? { meanKw: d.mean_kw } : {}) } : { source: "signature" };
  return {
    name: f.name,
    description: f.description,
    file,
    model,
    startMs,
    endMs,
    seed: f.seed,
    physicsStepS: f.physics_step_s,
    control: {
      periodS,
      horizonS,
      stepS,
      replanS: (f.control.replan_min ?? f.control.period_min) * 60,
      ...(coarseH !== undefined && coarseMin !== undefined ? { coarseAfterS: coarseH * 3600, coarseStepS: coarseMin * 60 } : {}),
    },
    weather,
    prices,
    demand,
    events,
  };
}

/**
 * A file a scenario names, resolved relative to the scenario: one that is not there is an error naming the
 * scenario's field and both paths (a scenario copied elsewhere keeps its relative paths).
 */
function existingFile(scenarioFile: string, field: string, given: string): string {
  const abs = resolve(dirname(scenarioFile), given);
  if (!existsSync(abs)) throw new InputError(scenarioFile, field, "an existing file, relative to this scenario's folder", `'${given}' is ${abs}, which does not exist`);
  return abs;
}

/** Loads a scenario and its model, with `simulate --set` changes applied to either before validation. */
export function loadScenario(file: string, sets: readonly SetPath[] = []): Scenario {
  const own = sets.filter((s) => s.target === "scenario");
  const onModel = sets.filter((s) => s.target === "model");
  const f = own.length ? withSets(own, () => validate(scenarioSchema, applySets(parseYaml(readTextFile(file), file), own), file)) : loadYamlFile(scenarioSchema, file, "scenario");
  const modelFile = existingFile(file, "model", f.model);
  if (f.weather.source === "epw") existingFile(file, "weather.file", f.weather.file);
  if (f.prices.source === "entsoe") existingFile(file, "prices.file", f.prices.file);
  if (f.demand.source === "shape") existingFile(file, "demand.file", f.demand.file);
  const model = onModel.length ? withSets(onModel, () => modelFromData(applySets(parseYaml(readTextFile(modelFile), modelFile), onModel), modelFile)) : loadModel(modelFile);
  return withSets(own, () => resolveScenario(f, file, model));
}

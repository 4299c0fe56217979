import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "./errors.ts";
import { loadYamlFile } from "./load.ts";
import { loadModel } from "./plant-model.ts";
import { loadPlcMap, type PlcMap } from "./plc-schema.ts";
import { resolveWire, wireShape, type WireConfig } from "./wire-config.ts";
import { MAX_PLAN_STEPS } from "./scenario-schema.ts";
import { gridStepCount } from "../optimizer/plan-grid.ts";
import { daemonShape } from "./daemon-schema.ts";
import type { PlantModel } from "../model/plant-model.ts";
import { requiredMeasurements } from "../control/estimate.ts";
import { modelMapDisagreements } from "../control/clamp.ts";

/**
 * The daemon's config (`chaleur daemon --config FILE`): the wire config (OPC UA tags and forecasts, PLC maps) plus
 * the plant model, the cycle's periods, the plan, the re-plan triggers and the HTTP port. Every check that can be
 * made before touching the plant is made here, so a bad file is one line at start, not a fault at 3 a.m.
 */

export const daemonSchema = z.object({ ...wireShape, ...daemonShape, model: z.string().min(1) }).strict();

export interface DaemonConfig {
  file: string;
  model: PlantModel;
  wire: WireConfig;
  maps: PlcMap[];
  control: {
    ioPeriodS: number;
    replanS: number;
    grid: { horizonS: number; stepS: number; coarseAfterS?: number; coarseStepS?: number };
    solveTimeLimitMs: number;
    heldMaxS: number;
    replanThresholdItKw: number;
    replanThresholdDemandKw: number;
  };
  http: { host: string; port: number; tls: { certFile: string; keyFile: string } | null; sessionH: number; loginMaxFailures: number; loginWindowMin: number; allowedHosts: string[] };
  history: { file: string; rawDays: number; meansDays: number; forecastDays: number };
  forecastSources: { dropFolder: string | null; dropPollS: number };
  logLevel: "debug" | "info" | "warn" | "error";
}

export function loadDaemonConfig(file: string): DaemonConfig {
  const f = loadYamlFile(daemonSchema, file, "daemon config");
  const dir = dirname(file);
  const model = loadModel(resolve(dir, f.model));
  const wire = resolveWire(f, file);
  const maps = wire.modbus.plcs.map((p) => loadPlcMap(p.mapFile));
  const mapped = new Set(wire.opcua.tags.map((t) => t.measurement));
  const missing = requiredMeasurements(model).filter((k) => !mapped.has(k));
  if (missing.length) throw new InputError(file, "opcua.tags", `a tag for every measurement the model needs`, `missing ${missing.join(", ")}`);
  const disagree = modelMapDisagreements(model, maps);
  if (disagree.length) throw new InputError(file, "modbus.plcs", `register limits that agree with the model ${f.model}`, disagree[0]);
  const c = f.control;
  if ((c.coarse_after_h === undefined) !== (c.coarse_step_min === undefined)) throw new InputError(file, "control.coarse_after_h", "both coarse_after_h and coarse_step_min, or neither");
  const stepS = c.step_min * 60;
  const horizonS = c.horizon_h * 3600;
  if (horizonS % stepS !== 0) throw new InputError(file, "control.horizon_h", `a whole number of plan steps (${c.step_min} min)`, `got ${c.horizon_h} h`);
  const coarse = c.coarse_after_h !== undefined && c.coarse_step_min !== undefined ? { coarseAfterS: c.coarse_after_h * 3600, coarseStepS: c.coarse_step_min * 60 } : {};
  const steps = gridStepCount({ horizonS, stepS, ...coarse });
  if (steps > MAX_PLAN_STEPS) throw new InputError(file, "control", `at most ${MAX_PLAN_STEPS} plan steps over the horizon`, `got ${steps}`);
  const watchdogS = Math.min(...maps.map((p) => p.watchdogS));
  if (c.io_period_s * 3 > watchdogS) throw new InputError(file, "control.io_period_s", `at most a third of the PLC watchdog (${watchdogS} s), so a lost cycle or two never trips it`, `got ${c.io_period_s} s`);
  if (c.replan_min * 60 < c.io_period_s) throw new InputError(file, "control.replan_min", `at least one I/O period (${c.io_period_s} s)`, `got ${c.replan_min} min`);
  return {
    file,
    model,
    wire,
    maps,
    control: {
      ioPeriodS: c.io_period_s,
      replanS: c.replan_min * 60,
      grid: { horizonS, stepS, ...coarse },
      solveTimeLimitMs: c.solve_time_limit_ms,
      heldMaxS: c.held_max_h * 3600,
      replanThresholdItKw: c.replan_threshold_it_kw,
      replanThresholdDemandKw: c.replan_threshold_demand_kw,
    },
    http: { host: f.http.host, port: f.http.port, tls: f.http.tls ? { certFile: resolve(dir, f.http.tls.cert), keyFile: resolve(dir, f.http.tls.key) } : null, sessionH: f.http.session_h, loginMaxFailures: f.http.login_max_failures, loginWindowMin: f.http.login_window_min, allowedHosts: f.http.allowed_hosts },
    history: { file: f.history.file ? resolve(dir, f.history.file) : join(wire.dataDir, "history.sqlite"), rawDays: f.history.raw_days, meansDays: f.history.means_days, forecastDays: f.history.forecast_days },
    forecastSources: { dropFolder: f.forecast_sources.drop_folder ? resolve(dir, f.forecast_sources.drop_folder) : null, dropPollS: f.forecast_sources.drop_poll_s },
    logLevel: f.log_level,
  };
}

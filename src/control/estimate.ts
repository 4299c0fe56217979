import { fullLoadCops, ghDirectMaxKw, hotLoopSupplyC, type PlantModel } from "../model/plant-model.ts";
import type { Sample } from "../io/types.ts";
import type { Observation, Setpoints } from "./types.ts";

/**
 * From judged samples to what the controllers see. A sample that is not good may be bridged by its last good value
 * while that is younger than the tag's maximum age; beyond that no value is invented: the estimate is `safe`, with
 * the tag, its quality and since when.
 */

/** A tag the estimate uses: its measurement name and how long its last good value may stand in. */
export interface EstimateTag {
  measurement: string;
  maxAgeS: number;
}

/** The estimate's memory between cycles: last good values and when each tag went bad. */
export interface EstimateMemory {
  lastGood: Map<string, { value: number; sourceMs: number }>;
  badSinceMs: Map<string, number>;
}

export type Estimate =
  | { kind: "observation"; obs: Observation; bridged: string[] }
  | { kind: "safe"; reason: string; tag: string; quality: string; sinceMs: number };

export function emptyEstimateMemory(): EstimateMemory {
  return { lastGood: new Map(), badSinceMs: new Map() };
}

/** The measurements an observation needs, for a model: a config must map every one of them. */
export function requiredMeasurements(m: PlantModel): string[] {
  const out = ["dc.it_heat_kw", "dc.fw_supply_temp_c", "weather.outdoor_temp_c", "weather.solar_w_m2", "market.price_el_eur_mwh", "dh.demand_kw"];
  for (const h of m.heatPumps) out.push(`${h.id}.running`, `${h.id}.available`, `${h.id}.heat_kw`, `${h.id}.state_s`);
  if (m.storage) out.push("storage.energy_kwh");
  if (m.greenhouse) out.push("gh.temp_c");
  return out;
}

export function estimate(m: PlantModel, tags: ReadonlyMap<string, EstimateTag>, samples: ReadonlyMap<string, Sample>, nowMs: number, memory: EstimateMemory): { estimate: Estimate; memory: EstimateMemory } {
  const lastGood = new Map(memory.lastGood);
  const badSinceMs = new Map(memory.badSinceMs);
  const values = new Map<string, number>();
  const bridged: string[] = [];
  let safe: Extract<Estimate, { kind: "safe" }> | null = null;
  for (const name of requiredMeasurements(m)) {
    const s = samples.get(name);
    if (s && s.quality === "good" && Number.isFinite(s.value)) {
      lastGood.set(name, { value: s.value, sourceMs: s.sourceMs });
      badSinceMs.delete(name);
      values.set(name, s.value);
      continue;
    }
    const since = badSinceMs.get(name) ?? nowMs;
    badSinceMs.set(name, since);
    const last = lastGood.get(name);
    const maxAgeS = tags.get(name)?.maxAgeS ?? 0;
    if (last && nowMs - last.sourceMs <= maxAgeS * 1000) {
      values.set(name, last.value);
      bridged.push(name);
      continue;
    }
    const quality = s ? s.quality : "not configured";
    safe ??= { kind: "safe", tag: name, quality, sinceMs: since, reason: `${name} ${quality}${s?.detail ? ` (${s.detail})` : ""} since ${new Date(since).toISOString()}` };
  }
  if (safe) return { estimate: safe, memory: { lastGood, badSinceMs } };
  const v = (name: string) => values.get(name)!;
  const outdoorTempC = v("weather.outdoor_temp_c");
  const cops = fullLoadCops(m, outdoorTempC);
  const ghTempC = m.greenhouse ? v("gh.temp_c") : null;
  const obs: Observation = {
    timeMs: nowMs,
    itHeatKw: v("dc.it_heat_kw"),
    outdoorTempC,
    solarWm2: v("weather.solar_w_m2"),
    priceElEurPerMwh: v("market.price_el_eur_mwh"),
    dhDemandKw: Math.min(v("dh.demand_kw"), m.network.contractMaxKw),
    fwSupplyTempC: v("dc.fw_supply_temp_c"),
    // The plan's COPs use the weather-compensation curve; the measured supply is for the HMI.
    hotLoopSupplyC: hotLoopSupplyC(m, outdoorTempC),
    storageEnergyKwh: m.storage ? v("storage.energy_kwh") : 0,
    ghTempC,
    ghDirectMaxKw: ghTempC === null ? 0 : ghDirectMaxKw(m, ghTempC),
    hps: m.heatPumps.map((h, i) => ({
      id: h.id,
      available: v(`${h.id}.available`) >= 0.5,
      running: v(`${h.id}.running`) >= 0.5,
      heatKw: v(`${h.id}.heat_kw`),
      stateS: v(`${h.id}.state_s`),
      cop: cops[i]!,
    })),
  };
  return { estimate: { kind: "observation", obs, bridged }, memory: { lastGood, badSinceMs } };
}

/** What chaleur writes in `safe`: the PLCs' own safe values (units off so they ramp down, no export, no greenhouse heat). */
export function safeSetpoints(m: PlantModel): Setpoints {
  return { hps: m.heatPumps.map((h) => ({ id: h.id, on: false, heatKw: 0 })), dhSoldKw: 0, ghDirectKw: 0, ghBoostKw: 0 };
}

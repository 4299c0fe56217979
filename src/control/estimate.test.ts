import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { loadScenario } from "../config/scenario.ts";
import { buildInputs } from "../sim/inputs.ts";
import { initialPlantState, observe } from "../sim/plant.ts";
import type { Sample } from "../io/types.ts";
import { emptyEstimateMemory, estimate, requiredMeasurements, type EstimateTag } from "./estimate.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.parse("2026-01-12T00:00:00Z");
const tags = new Map<string, EstimateTag>(requiredMeasurements(m).map((k) => [k, { measurement: k, maxAgeS: 30 }]));

function samples(values: Record<string, number>, atMs: number): Map<string, Sample> {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, quality: "good" as const, sourceMs: atMs, receivedMs: atMs }]));
}

/** The plant's state as the simulator observes it, and the same state as the tags a plant would serve. */
function plantNow() {
  const sc = loadScenario("simulations/paris-winter-week.yaml");
  const inp = buildInputs(sc);
  const state = initialPlantState(m);
  const step = { timeMs: T0, itHeatKw: inp.itHeatKw[0]!, outdoorTempC: inp.outdoorTempC[0]!, solarWm2: inp.solarWm2[0]!, dhDemandKw: 2000, hpAvailable: [true, false] };
  const obs = observe(m, state, step, 61.5);
  const tagValues: Record<string, number> = {
    "dc.it_heat_kw": step.itHeatKw,
    "dc.fw_supply_temp_c": state.fwSupplyTempC,
    "weather.outdoor_temp_c": step.outdoorTempC,
    "weather.solar_w_m2": step.solarWm2,
    "market.price_el_eur_mwh": 61.5,
    "dh.demand_kw": 2000,
    "storage.energy_kwh": state.storageEnergyKwh,
    "gh.temp_c": state.ghTempC,
  };
  m.heatPumps.forEach((h, i) => {
    tagValues[`${h.id}.running`] = 0;
    tagValues[`${h.id}.available`] = i === 0 ? 1 : 0;
    tagValues[`${h.id}.heat_kw`] = 0;
    tagValues[`${h.id}.state_s`] = obs.hps[i]!.stateS;
  });
  return { obs, tagValues };
}

describe("estimate: samples with quality → the simulator's Observation, or safe with the reason", () => {
  it("good samples give the observation the simulator builds from the same plant state", () => {
    const { obs, tagValues } = plantNow();
    const r = estimate(m, tags, samples(tagValues, T0), T0, emptyEstimateMemory());
    expect(r.estimate.kind).toBe("observation");
    if (r.estimate.kind === "observation") expect(r.estimate.obs).toEqual(obs);
  });

  it("a bad tag is bridged by its last good value within its maximum age, then the estimate is safe, naming it", () => {
    const { tagValues } = plantNow();
    let mem = estimate(m, tags, samples(tagValues, T0), T0, emptyEstimateMemory()).memory;
    const nan = samples(tagValues, T0 + 20_000);
    nan.set("dc.it_heat_kw", { value: Number.NaN, quality: "bad_nan", sourceMs: T0 + 20_000, receivedMs: T0 + 20_000, detail: "NaN" });
    const bridged = estimate(m, tags, nan, T0 + 20_000, mem);
    expect(bridged.estimate.kind).toBe("observation");
    if (bridged.estimate.kind === "observation") {
      expect(bridged.estimate.obs.itHeatKw).toBe(tagValues["dc.it_heat_kw"]);
      expect(bridged.estimate.bridged).toEqual(["dc.it_heat_kw"]);
    }
    mem = bridged.memory;
    const later = estimate(m, tags, nan, T0 + 31_000, mem);
    expect(later.estimate).toEqual({
      kind: "safe",
      tag: "dc.it_heat_kw",
      quality: "bad_nan",
      sinceMs: T0 + 20_000,
      reason: "dc.it_heat_kw bad_nan (NaN) since 2026-01-12T00:00:20.000Z",
    });
    // Back to good: an observation again, the memory of the bad spell cleared.
    const back = estimate(m, tags, samples(tagValues, T0 + 40_000), T0 + 40_000, later.memory);
    expect(back.estimate.kind).toBe("observation");
    expect(back.memory.badSinceMs.size).toBe(0);
  });

  it("a tag never seen good, or not configured, is safe at once", () => {
    const { tagValues } = plantNow();
    const { ["gh.temp_c"]: _gone, ...rest } = tagValues;
    const r = estimate(m, tags, samples(rest, T0), T0, emptyEstimateMemory());
    expect(r.estimate.kind === "safe" && r.estimate.reason).toBe("gh.temp_c not configured since 2026-01-12T00:00:00.000Z");
  });
});

import type { PlantModel } from "../model/plant-model.ts";
import type { Observation } from "./types.ts";

/** A plausible winter observation for tests (every unit available, off, long in that state), with overrides. */
export function observationAt(m: PlantModel, timeMs: number, over: Partial<Observation> = {}): Observation {
  return {
    timeMs,
    itHeatKw: 900,
    outdoorTempC: 5,
    solarWm2: 0,
    priceElEurPerMwh: 50,
    dhDemandKw: 1400,
    fwSupplyTempC: 20,
    hotLoopSupplyC: 75,
    storageEnergyKwh: 2000,
    ghTempC: 18,
    ghDirectMaxKw: 100,
    hps: m.heatPumps.map((h) => ({ id: h.id, available: true, running: false, heatKw: 0, stateS: 1e6, cop: 5.5 })),
    ...over,
  };
}

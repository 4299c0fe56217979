import type { TankSpec } from "../physics/storage.ts";
import { dryCoolerCapacityKw } from "../physics/dry-cooler.ts";
import { chillerCapacityKw } from "../physics/chiller.ts";
import type { GreenhouseSpec } from "../physics/greenhouse.ts";
import type { DemandSpec } from "../physics/demand.ts";
import { heatPumpCop, chillerEer } from "../physics/heatpump.ts";
import { hxHeatKw } from "../physics/hx.ts";

/**
 * The plant model as data, and its derived quantities (capacities at a temperature, COPs): pure, no file access.
 * src/config/plant-model.ts loads a model file into this shape.
 */

/** The plant as the simulator and the optimizer use it: camelCase, derived quantities resolved once. */
export interface HeatPumpModel {
  id: string;
  heatMaxKw: number;
  heatMinKw: number;
  etaCarnot: number;
  /** Evaporator and condenser approach (K): the refrigerant's distance from the water glides in the COP form. */
  evaporatorApproachK: number;
  condenserApproachK: number;
  partLoadCd: number;
  rampKwPerMin: number;
  startDelayMin: number;
  startCostEur: number;
  minUpMin: number;
  minDownMin: number;
}

export interface StorageModel {
  tank: TankSpec;
  capacityKwh: number;
  chargeMaxKw: number;
  dischargeMaxKw: number;
  efficiency: number;
  initialEnergyKwh: number;
}

export interface GreenhouseModel {
  spec: GreenhouseSpec;
  initialTempC: number;
  directHx: { uaKwPerK: number; facilitySideKwPerK: number; greenhouseSideKwPerK: number; emitterOffsetK: number };
  boostMaxKw: number;
  comfort: { nightMinC: number; dayMinC: number; dayMaxC: number; damageC: number; dayStartHour: number; dayEndHour: number };
}

export interface PlantModel {
  name: string;
  description: string;
  file: string;
  site: { latitudeDeg: number; longitudeDeg: number };
  coolingDesignOutdoorC: number;
  it: { loadKw: number; heatFraction: number; variationPct: number; pue: number };
  facilityWater: { returnTempC: number; supplyTempC: number; supplyLimitC: number; capacityKwhPerK: number };
  heatPumps: HeatPumpModel[];
  hotLoop: { returnTempC: number; supplyCurve: { outdoorC: number; supplyC: number }[] };
  storage: StorageModel | null;
  greenhouse: GreenhouseModel | null;
  dryCoolers: { uaKwPerK: number; approachK: number; fanFraction: number };
  chiller: { ratedKw: number; ratedOutdoorC: number; derateFracPerK: number; etaCarnot: number; evaporatorTempC: number; condenserApproachK: number };
  network: DemandSpec & { contractMaxKw: number };
  economics: { heatSaleEurPerMwh: number; greenhouseHeatEurPerMwh: number; gridFeeEurPerMwh: number; comfortPenaltyEurPerKh: number };
  co2: { gridGPerKwh: number; displacedHeatGPerKwh: number };
}

/** Highest IT heat the plant must be able to reject (load at the top of its variation band). */
export function itHeatMaxKw(m: Pick<PlantModel, "it">): number {
  return m.it.loadKw * (1 + m.it.variationPct / 100) * m.it.heatFraction;
}

/** Dry-cooler capacity at an outdoor temperature (facility water at its return temperature). */
export function dumpCapacityKw(m: PlantModel, outdoorTempC: number): number {
  return dryCoolerCapacityKw({ uaKwPerK: m.dryCoolers.uaKwPerK, returnTempC: m.facilityWater.returnTempC, outdoorTempC, approachK: m.dryCoolers.approachK });
}

/** Chiller capacity at an outdoor temperature (derated above its rating). */
export function chillerCapacityAtKw(m: PlantModel, outdoorTempC: number): number {
  return chillerCapacityKw({ ratedKw: m.chiller.ratedKw, ratedOutdoorC: m.chiller.ratedOutdoorC, derateFracPerK: m.chiller.derateFracPerK, outdoorTempC });
}

/** Cooling that works without any heat sink (dry coolers + chiller) at a given outdoor temperature. */
export function rejectCapacityKw(m: PlantModel, outdoorTempC: number): number {
  return dumpCapacityKw(m, outdoorTempC) + chillerCapacityAtKw(m, outdoorTempC);
}

/** Hot-loop supply temperature from the weather-compensation curve (linear, flat outside the points). */
export function hotLoopSupplyC(m: PlantModel, outdoorTempC: number): number {
  const c = m.hotLoop.supplyCurve;
  const first = c[0]!;
  const last = c[c.length - 1]!;
  if (outdoorTempC <= first.outdoorC) return first.supplyC;
  if (outdoorTempC >= last.outdoorC) return last.supplyC;
  for (let i = 1; i < c.length; i++) {
    const b = c[i]!;
    if (outdoorTempC <= b.outdoorC) {
      const a = c[i - 1]!;
      return a.supplyC + ((b.supplyC - a.supplyC) * (outdoorTempC - a.outdoorC)) / (b.outdoorC - a.outdoorC);
    }
  }
  return last.supplyC;
}

/** Full-load COP of each heat pump at an outdoor temperature (sink outlet follows the weather-compensation curve). */
export function fullLoadCops(m: PlantModel, outdoorTempC: number): number[] {
  const t = { sourceInC: m.facilityWater.returnTempC, sourceOutC: m.facilityWater.supplyTempC, sinkInC: m.hotLoop.returnTempC, sinkOutC: hotLoopSupplyC(m, outdoorTempC) };
  return m.heatPumps.map((h) => heatPumpCop(h.etaCarnot, t, { evaporatorK: h.evaporatorApproachK, condenserK: h.condenserApproachK }));
}

/** kW of direct greenhouse heat per K between the facility-water return and the exchanger's cold inlet (ε·Cmin). */
export function ghDirectKwPerK(m: PlantModel): number {
  const g = m.greenhouse;
  if (!g) return 0;
  const hx = g.directHx;
  return hxHeatKw({ uaKwPerK: hx.uaKwPerK, hotInC: 1, coldInC: 0, hotCapKwPerK: hx.facilitySideKwPerK, coldCapKwPerK: hx.greenhouseSideKwPerK });
}

/** Free heat the direct exchanger can give the greenhouse at a greenhouse air temperature. */
export function ghDirectMaxKw(m: PlantModel, ghTempC: number): number {
  const g = m.greenhouse;
  if (!g) return 0;
  return ghDirectKwPerK(m) * Math.max(0, m.facilityWater.returnTempC - ghTempC - g.directHx.emitterOffsetK);
}

/** Chiller EER at an outdoor temperature. */
export function chillerEerAt(m: PlantModel, outdoorTempC: number): number {
  return chillerEer(m.chiller.etaCarnot, m.chiller.evaporatorTempC, outdoorTempC + m.chiller.condenserApproachK);
}

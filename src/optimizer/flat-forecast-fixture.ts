import type { PlantModel } from "../model/plant-model.ts";
import type { PlanForecast } from "./plan-types.ts";
import { uniformGrid } from "./plan-grid.ts";

/**
 * For tests: a forecast of n quarter-hours from startMs with every series flat (900 kW of servers' heat, 5 °C, no
 * sun, 60 €/MWh, the network asking 1.5 MW, every unit available), each replaceable through `flat` or `over`.
 */
export function flatForecast(m: PlantModel, startMs: number, n: number, flat: { itHeatKw?: number; outdoorTempC?: number; dhDemandKw?: number } = {}, over: Partial<PlanForecast> = {}): PlanForecast {
  const f = (v: number) => Array.from({ length: n }, () => v);
  return { startMs, stepsS: uniformGrid(n, 900), n, itHeatKw: f(flat.itHeatKw ?? 900), outdoorTempC: f(flat.outdoorTempC ?? 5), solarWm2: f(0), priceElEurPerMwh: f(60), dhDemandKw: f(flat.dhDemandKw ?? 1500), hpAvailable: m.heatPumps.map(() => f(1).map(() => true)), ...over };
}

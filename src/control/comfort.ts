import type { PlantModel } from "../config/plant-model.ts";
import { greenhouseHeatDemandKw } from "../physics/greenhouse.ts";
import { parisLocalParts } from "../physics/paris-time.ts";

/** Lower edge of the crop's comfort band at a time (day/night by local Paris hour). */
export function comfortMinC(m: PlantModel, timeMs: number): number {
  const g = m.greenhouse;
  if (!g) return Number.NaN;
  const h = parisLocalParts(timeMs).hour;
  return h >= g.comfort.dayStartHour && h < g.comfort.dayEndHour ? g.comfort.dayMinC : g.comfort.nightMinC;
}

export function comfortMaxC(m: PlantModel, timeMs: number): number {
  const g = m.greenhouse;
  if (!g) return Number.NaN;
  const h = parisLocalParts(timeMs).hour;
  return h >= g.comfort.dayStartHour && h < g.comfort.dayEndHour ? g.comfort.dayMaxC : g.comfort.dayMaxC;
}

/** Heat that holds the greenhouse just above its comfort minimum over the coming period (a thermostat with margin). */
export function greenhouseNeedKw(m: PlantModel, p: { timeMs: number; ghTempC: number; outdoorTempC: number; solarWm2: number; periodS: number; marginK: number }): number {
  const g = m.greenhouse;
  if (!g) return 0;
  const targetC = comfortMinC(m, p.timeMs + p.periodS * 1000) + p.marginK;
  return greenhouseHeatDemandKw(g.spec, { tempC: p.ghTempC, targetC, outdoorTempC: p.outdoorTempC, solarWm2: p.solarWm2, dtS: p.periodS });
}

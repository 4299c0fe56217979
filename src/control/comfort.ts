import type { PlantModel } from "../model/plant-model.ts";
import { comfortMaxC, comfortMinC } from "../config/comfort.ts";
import { greenhouseHeatDemandKw } from "../physics/greenhouse.ts";

/** Heat that holds the greenhouse just above its comfort minimum over the coming period (a thermostat with margin). */
export function greenhouseNeedKw(m: PlantModel, p: { timeMs: number; ghTempC: number; outdoorTempC: number; solarWm2: number; periodS: number; marginK: number }): number {
  const g = m.greenhouse;
  if (!g) return 0;
  const targetC = comfortMinC(m, p.timeMs + p.periodS * 1000) + p.marginK;
  return greenhouseHeatDemandKw(g.spec, { tempC: p.ghTempC, targetC, outdoorTempC: p.outdoorTempC, solarWm2: p.solarWm2, dtS: p.periodS });
}

/**
 * The most heat the greenhouse may take over the coming period without ending it above its comfort maximum less a
 * margin, from what is observed now: a high-limit interlock on planned heat, whose forecast may be wrong.
 */
export function greenhouseCeilingKw(m: PlantModel, p: { ghTempC: number; outdoorTempC: number; solarWm2: number; periodS: number; marginK: number }): number {
  const g = m.greenhouse;
  if (!g) return 0;
  const targetC = comfortMaxC(m) - p.marginK;
  return greenhouseHeatDemandKw(g.spec, { tempC: p.ghTempC, targetC, outdoorTempC: p.outdoorTempC, solarWm2: p.solarWm2, dtS: p.periodS });
}

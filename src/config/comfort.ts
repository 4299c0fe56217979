import type { PlantModel } from "../model/plant-model.ts";
import { parisLocalParts } from "../physics/paris-time.ts";

/** The crop's comfort band from the model, by local Paris hour (day from day_start_hour to day_end_hour). */
function isDay(m: PlantModel, timeMs: number): boolean {
  const g = m.greenhouse!;
  const h = parisLocalParts(timeMs).hour;
  return h >= g.comfort.dayStartHour && h < g.comfort.dayEndHour;
}

export function comfortMinC(m: PlantModel, timeMs: number): number {
  const g = m.greenhouse;
  if (!g) return Number.NaN;
  return isDay(m, timeMs) ? g.comfort.dayMinC : g.comfort.nightMinC;
}

/** The upper edge is the day maximum at all hours: nights never need to be warmer than days. */
export function comfortMaxC(m: PlantModel): number {
  return m.greenhouse ? m.greenhouse.comfort.dayMaxC : Number.NaN;
}

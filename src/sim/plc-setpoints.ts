import type { PlantModel } from "../model/plant-model.ts";
import type { Setpoints } from "../control/types.ts";

/**
 * The plant side of the register naming contract (src/io/modbus/setpoint-registers.ts is the controller side):
 * what the simulated plant acts on, from its PLCs' effective registers. Missing registers read as off / 0.
 */
export function setpointsFromRegisters(m: PlantModel, regs: Readonly<Record<string, number>>): Setpoints {
  const v = (name: string) => (Number.isFinite(regs[name]) ? regs[name]! : 0);
  return {
    hps: m.heatPumps.map((h) => ({ id: h.id, on: v(`${h.id}_enable`) >= 0.5, heatKw: Math.max(0, v(`${h.id}_heat_setpoint_kw`)) })),
    dhSoldKw: Math.max(0, v("dh_sold_setpoint_kw")),
    ghDirectKw: Math.max(0, v("gh_direct_setpoint_kw")),
    ghBoostKw: Math.max(0, v("gh_boost_setpoint_kw")),
  };
}

/** Feedback registers carry the measurement of the same name with "." as "_" (hp1.heat_kw ⇒ hp1_heat_kw). */
export function feedbackRegisterName(measurement: string): string {
  return measurement.replace(/\./g, "_");
}

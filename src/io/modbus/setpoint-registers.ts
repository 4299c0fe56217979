/**
 * The names chaleur's decisions go out under (plc/*.yaml). The shapes are structural copies of
 * src/control/types.ts (Setpoints, Mode) because io sits below control: dependencies point inward.
 */

export interface SetpointsLike {
  hps: readonly { id: string; on: boolean; heatKw: number }[];
  dhSoldKw: number;
  ghDirectKw: number;
  ghBoostKw: number;
}

/** The controller_mode register's values, in the order of control's MODES. */
export const CONTROLLER_MODE_CODES = { optimal: 0, held: 1, rule: 2, safe: 3 } as const;
export type ModeName = keyof typeof CONTROLLER_MODE_CODES;

/**
 * Register values for one cycle's decision. Filter by what the configured PLCs have (a plant without a
 * greenhouse has no greenhouse PLC): names no PLC has come back from write() as a failed "(none)" report.
 */
export function setpointRegisters(sp: SetpointsLike, mode: ModeName): Record<string, number> {
  const out: Record<string, number> = { controller_mode: CONTROLLER_MODE_CODES[mode] };
  for (const hp of sp.hps) {
    out[`${hp.id}_enable`] = hp.on ? 1 : 0;
    out[`${hp.id}_heat_setpoint_kw`] = hp.heatKw;
  }
  out.dh_sold_setpoint_kw = sp.dhSoldKw;
  out.gh_direct_setpoint_kw = sp.ghDirectKw;
  out.gh_boost_setpoint_kw = sp.ghBoostKw;
  return out;
}

import type { HeatPumpModel } from "../model/plant-model.ts";
import { partLoadFactor } from "../physics/heatpump.ts";

/**
 * One heat pump's operating state as the PLC sees it: off → starting (pre-run, no heat) → on.
 * Min up/down times, start delay and ramp are enforced here, by the unit, whatever the setpoint says.
 */
export interface HpUnitState {
  phase: "off" | "starting" | "on";
  /** Seconds spent in the current phase. */
  phaseS: number;
  heatKw: number;
}

export const HP_OFF: HpUnitState = { phase: "off", phaseS: 1e9, heatKw: 0 };

export interface HpStepResult {
  state: HpUnitState;
  started: boolean;
}

/** Advances one unit by dtS towards its setpoint; `available` false is a trip (immediate stop). */
export function hpUnitStep(hp: HeatPumpModel, s: HpUnitState, on: boolean, targetKw: number, available: boolean, dtS: number): HpStepResult {
  if (!available) return { state: { phase: "off", phaseS: s.phase === "off" ? s.phaseS + dtS : 0, heatKw: 0 }, started: false };
  const rampKw = (hp.rampKwPerMin * dtS) / 60;
  switch (s.phase) {
    case "off":
      if (on && targetKw > 0 && s.phaseS >= hp.minDownMin * 60) {
        if (hp.startDelayMin * 60 <= 0) return { state: { phase: "on", phaseS: 0, heatKw: Math.min(targetKw, hp.heatMinKw || rampKw) }, started: true };
        return { state: { phase: "starting", phaseS: 0, heatKw: 0 }, started: true };
      }
      return { state: { phase: "off", phaseS: s.phaseS + dtS, heatKw: 0 }, started: false };
    case "starting": {
      const t = s.phaseS + dtS;
      if (!on) return { state: { phase: "off", phaseS: 0, heatKw: 0 }, started: false };
      // The compressor comes in at its minimum load once the pre-run is over.
      if (t >= hp.startDelayMin * 60) return { state: { phase: "on", phaseS: 0, heatKw: Math.min(Math.max(targetKw, 0), hp.heatMinKw || rampKw) }, started: false };
      return { state: { phase: "starting", phaseS: t, heatKw: 0 }, started: false };
    }
    case "on": {
      const t = s.phaseS + dtS;
      const mayStop = t >= hp.minUpMin * 60;
      if ((!on || targetKw <= 0) && mayStop) return { state: { phase: "off", phaseS: 0, heatKw: 0 }, started: false };
      // Asked to stop before its minimum run time: hold minimum load.
      const want = !on || targetKw <= 0 ? hp.heatMinKw : Math.min(targetKw, hp.heatMaxKw);
      const heatKw = want > s.heatKw ? Math.min(want, s.heatKw + rampKw) : Math.max(want, s.heatKw - rampKw);
      return { state: { phase: "on", phaseS: t, heatKw }, started: false };
    }
  }
}

/** Effective COP at a load: below the minimum load the unit cycles (EN 14825 degradation). */
export function effectiveCop(hp: HeatPumpModel, fullLoadCop: number, heatKw: number): number {
  if (hp.heatMinKw <= 0 || heatKw >= hp.heatMinKw) return fullLoadCop;
  return fullLoadCop * Math.max(partLoadFactor(heatKw / hp.heatMinKw, hp.partLoadCd), 1e-6);
}

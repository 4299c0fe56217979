/**
 * Heat pump and chiller performance: Carnot-fraction model (DESIGN §2), with the exchangers' approach temperatures.
 *
 *   COP = η · T_cond / (T_cond − T_evap),  T_cond = T_sink,lm + ΔT_cond,  T_evap = T_source,lm − ΔT_evap  (K)
 *
 * The log-means carry each water glide (a Lorenz process, DESIGN §2); the approaches are what the refrigerant must
 * be colder than the source and hotter than the sink for heat to flow through real plate or shell-and-tube
 * exchangers. Without them one η, calibrated at Kajaani's 41 K lift, overstated the COP at small lifts (the
 * liquid-cooled campus's ≈20 K reached COP 8–9, issue 11): a fixed few kelvin matter more there. The Lorenz
 * efficiency on log-mean temperatures is the screening method of Reinholdt et al. ("Heat pump COP, part 1",
 * 13th IIR Gustav Lorentzen Conference, 2018); the approaches added to it are the exchangers' pinch.
 * One η per unit, calibrated from a published operating point, carries the rest of the irreversibilities; it is
 * checked against other published machines in heatpump.test.ts (within ±10 %).
 * With zero approaches the form is the plain log-mean one, whose DESIGN §2 reference values still hold.
 */
import { KELVIN, logMeanTempK } from "./thermo.ts";

export interface HpTemps {
  sourceInC: number;
  sourceOutC: number;
  sinkInC: number;
  sinkOutC: number;
}

/** Water-to-refrigerant temperature differences of the evaporator and the condenser (K, ≥ 0). */
export interface HpApproach {
  evaporatorK: number;
  condenserK: number;
}

/** The plain log-mean (Lorenz) form of DESIGN §2: exchangers without temperature difference. */
export const NO_APPROACH: HpApproach = { evaporatorK: 0, condenserK: 0 };

/** Evaporating and condensing temperatures (K): the water glides' log-means, moved apart by the approaches. */
export function cycleTempsK(t: HpTemps, a: HpApproach): { evapK: number; condK: number } {
  if (!(a.evaporatorK >= 0 && a.condenserK >= 0)) throw new RangeError(`heat-pump approaches must be ≥ 0 K, got ${a.evaporatorK} and ${a.condenserK}`);
  const evapK = logMeanTempK(t.sourceInC, t.sourceOutC) - a.evaporatorK;
  const condK = logMeanTempK(t.sinkInC, t.sinkOutC) + a.condenserK;
  if (condK <= evapK) {
    throw new RangeError(
      `heat pump condensing temperature (${(condK - KELVIN).toFixed(2)} °C) must be above its evaporating temperature (${(evapK - KELVIN).toFixed(2)} °C)`,
    );
  }
  return { evapK, condK };
}

/** Ideal heating COP between the condensing and evaporating temperatures. */
export function carnotCop(t: HpTemps, a: HpApproach): number {
  const { evapK, condK } = cycleTempsK(t, a);
  return condK / (condK - evapK);
}

export function heatPumpCop(etaCarnot: number, t: HpTemps, a: HpApproach): number {
  return etaCarnot * carnotCop(t, a);
}

/** Carnot efficiency that reproduces a measured COP at the given temperatures and approaches. */
export function calibrateEta(copMeasured: number, t: HpTemps, a: HpApproach): number {
  return copMeasured / carnotCop(t, a);
}

/**
 * EN 14825 cycling degradation: below its minimum modulation a unit cycles on/off,
 * losing efficiency at each start. Multiply the full-load COP by this factor.
 */
export function partLoadFactor(capacityRatio: number, cd = 0.9): number {
  if (capacityRatio >= 1) return 1;
  if (capacityRatio <= 0) return 0;
  return capacityRatio / (cd * capacityRatio + 1 - cd);
}

export function hpElectricityKw(heatKw: number, cop: number): number {
  if (cop <= 0) throw new RangeError(`COP must be > 0, got ${cop}`);
  return heatKw / cop;
}

/** Heat drawn from the source: heat out minus the electricity that became heat. */
export function hpSourceHeatKw(heatKw: number, cop: number): number {
  if (cop <= 0) throw new RangeError(`COP must be > 0, got ${cop}`);
  return heatKw * (1 - 1 / cop);
}

/**
 * Cap on chiller EER. The Carnot formula diverges as the lift goes to zero (cool
 * nights), but a real chiller still spends compressor, pump and fan power; 15 is
 * above the best measured full-load EERs, so the cap only guards the singularity.
 */
export const CHILLER_EER_MAX = 15;

/** Cooling EER as a Carnot fraction: η·Tevap/(Tcond − Tevap), capped at CHILLER_EER_MAX. */
export function chillerEer(etaCarnot: number, evapC: number, condC: number): number {
  const evapK = evapC + KELVIN;
  const liftK = condC - evapC;
  if (liftK <= 0) return CHILLER_EER_MAX;
  return Math.min(CHILLER_EER_MAX, (etaCarnot * evapK) / liftK);
}

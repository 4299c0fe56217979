/**
 * Heat pump and chiller performance: Carnot-fraction model (DESIGN §2).
 * One η per unit, calibrated from a single published operating point, carries
 * the unit's irreversibilities to other temperature lifts.
 */
import { KELVIN, logMeanTempK } from "./thermo.ts";

export interface HpTemps {
  sourceInC: number;
  sourceOutC: number;
  sinkInC: number;
  sinkOutC: number;
}

function lmTemps(t: HpTemps): { sourceK: number; sinkK: number } {
  const sourceK = logMeanTempK(t.sourceInC, t.sourceOutC);
  const sinkK = logMeanTempK(t.sinkInC, t.sinkOutC);
  if (sinkK <= sourceK) {
    throw new RangeError(
      `heat pump sink log-mean (${(sinkK - KELVIN).toFixed(2)} °C) must be above source log-mean (${(sourceK - KELVIN).toFixed(2)} °C)`,
    );
  }
  return { sourceK, sinkK };
}

/** Ideal heating COP between log-mean sink and source temperatures. */
export function carnotCop(t: HpTemps): number {
  const { sourceK, sinkK } = lmTemps(t);
  return sinkK / (sinkK - sourceK);
}

export function heatPumpCop(etaCarnot: number, t: HpTemps): number {
  return etaCarnot * carnotCop(t);
}

/** Carnot efficiency that reproduces a measured COP at the given temperatures. */
export function calibrateEta(copMeasured: number, t: HpTemps): number {
  return copMeasured / carnotCop(t);
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

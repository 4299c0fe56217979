/** Facility water loop as one thermal mass (DESIGN §2): C·dT/dt = Qin − Qremoved. */
import { SECONDS_PER_HOUR } from "./thermo.ts";

/**
 * Explicit update is exact here because the heat flows are taken as constant over
 * the step. residualKw re-derives the stored heat from the temperature change; any
 * non-zero value means the caller's bookkeeping (or a clamp) lost energy.
 */
export function loopStep(p: {
  supplyTempC: number;
  capacityKwhPerK: number;
  heatInKw: number;
  heatRemovedKw: number;
  dtS: number;
}): { supplyTempC: number; residualKw: number } {
  if (p.capacityKwhPerK <= 0) throw new RangeError(`loop capacity must be > 0, got ${p.capacityKwhPerK}`);
  if (p.dtS <= 0) throw new RangeError(`dtS must be > 0, got ${p.dtS}`);
  const dtH = p.dtS / SECONDS_PER_HOUR;
  const netKw = p.heatInKw - p.heatRemovedKw;
  const supplyTempC = p.supplyTempC + (netKw * dtH) / p.capacityKwhPerK;
  const storedKw = (p.capacityKwhPerK * (supplyTempC - p.supplyTempC)) / dtH;
  return { supplyTempC, residualKw: netKw - storedKw };
}

/** Backup chiller: last-resort cooling, air-cooled condenser (DESIGN §1). */
import { chillerEer } from "./heatpump.ts";

/** Rated capacity up to ratedOutdoorC; linear derate above (condenser air gets too hot). */
export function chillerCapacityKw(p: {
  ratedKw: number;
  ratedOutdoorC: number;
  derateFracPerK: number;
  outdoorTempC: number;
}): number {
  const excessK = Math.max(0, p.outdoorTempC - p.ratedOutdoorC);
  return Math.max(0, p.ratedKw * (1 - p.derateFracPerK * excessK));
}

/** Compressor electricity for a cooling duty; condensing temperature = outdoor + approach. */
export function chillerElectricityKw(p: {
  heatKw: number;
  etaCarnot: number;
  evapC: number;
  outdoorTempC: number;
  condenserApproachK: number;
}): number {
  if (p.heatKw <= 0) return 0;
  return p.heatKw / chillerEer(p.etaCarnot, p.evapC, p.outdoorTempC + p.condenserApproachK);
}

/**
 * Hot-water storage tank, fully mixed, state = energy above the return temperature
 * (DESIGN §2). The standing loss is integrated exactly over each step so the daily
 * loss is the same whatever the step length (the known bug class: a loss computed
 * per step and not scaled by dt).
 */
import { J_PER_KWH, SECONDS_PER_HOUR, WATER_CP_J_PER_KGK, WATER_DENSITY_KG_M3 } from "./thermo.ts";

export interface TankSpec {
  volumeM3: number;
  maxTempC: number;
  returnTempC: number;
  uaKwPerK: number;
  ambientTempC: number;
  densityKgM3?: number;
  cpJPerKgK?: number;
}

/** Thermal capacity of the water, kWh per kelvin. */
export function tankThermalCapacityKwhPerK(spec: TankSpec): number {
  const rho = spec.densityKgM3 ?? WATER_DENSITY_KG_M3;
  const cp = spec.cpJPerKgK ?? WATER_CP_J_PER_KGK;
  return (rho * cp * spec.volumeM3) / J_PER_KWH;
}

export function tankCapacityKwh(spec: TankSpec): number {
  return tankThermalCapacityKwhPerK(spec) * (spec.maxTempC - spec.returnTempC);
}

/** Insulated cylinder with flat ends: series film / insulation / film resistances. */
export function cylinderUaKwPerK(p: {
  heightM: number;
  diameterM: number;
  insulationThicknessM: number;
  insulationConductivityWPerMK: number;
  innerFilmWPerM2K: number;
  outerFilmWPerM2K: number;
}): number {
  const uWPerM2K =
    1 / (1 / p.innerFilmWPerM2K + p.insulationThicknessM / p.insulationConductivityWPerMK + 1 / p.outerFilmWPerM2K);
  const areaM2 = Math.PI * p.diameterM * p.heightM + 2 * Math.PI * (p.diameterM / 2) ** 2;
  return (uWPerM2K * areaM2) / 1000;
}

export function tankMeanTempC(spec: TankSpec, energyKwh: number): number {
  return spec.returnTempC + energyKwh / tankThermalCapacityKwhPerK(spec);
}

export function tankLossKw(spec: TankSpec, energyKwh: number): number {
  return spec.uaKwPerK * (tankMeanTempC(spec, energyKwh) - spec.ambientTempC);
}

export interface TankStepResult {
  energyKwh: number;
  /** Standing loss over the step (kWh), integrated exactly. */
  lossKwh: number;
  /**
   * Part of P·dt the tank could not take (> 0: charge refused at full) or could
   * not give (< 0: discharge not delivered at empty). The caller must account for
   * it; the balance is E1 − E0 = P·dt − loss − clipped.
   */
  clippedKwh: number;
}

/**
 * Advance the tank by dtS under a constant net charge power (after the caller's
 * charge/discharge efficiency). Solves dE/dt = P − UA·(Tret + E/C − Tamb) exactly;
 * if the trajectory hits empty or full, the tank stays there for the rest of the
 * step and the loss continues at that boundary temperature.
 */
export function tankStep(spec: TankSpec, energyKwh: number, netChargeKw: number, dtS: number): TankStepResult {
  const capKwh = tankCapacityKwh(spec);
  const cth = tankThermalCapacityKwhPerK(spec);
  const ua = spec.uaKwPerK;
  const dtH = dtS / SECONDS_PER_HOUR;
  const e0 = Math.min(capKwh, Math.max(0, energyKwh));
  const boundaryLossKw = (eKwh: number) => ua * (spec.returnTempC + eKwh / cth - spec.ambientTempC);

  if (dtH <= 0) return { energyKwh: e0, lossKwh: 0, clippedKwh: 0 };

  // dE/dt = a − k·E
  const a = netChargeKw - ua * (spec.returnTempC - spec.ambientTempC);
  const k = ua / cth;
  const energyAt = (tH: number): number =>
    k > 0 ? a / k + (e0 - a / k) * Math.exp(-k * tH) : e0 + a * tH;

  const eFree = energyAt(dtH);
  if (eFree >= 0 && eFree <= capKwh) {
    return { energyKwh: eFree, lossKwh: netChargeKw * dtH - (eFree - e0), clippedKwh: 0 };
  }

  // Trajectory leaves [0, cap]: it is monotone, so it crosses the boundary once.
  const eB = eFree > capKwh ? capKwh : 0;
  let tHit: number;
  if (k > 0) {
    const eInf = a / k;
    tHit = Math.log((e0 - eInf) / (eB - eInf)) / k;
  } else {
    tHit = (eB - e0) / a;
  }
  tHit = Math.min(dtH, Math.max(0, tHit));
  const lossKwh = netChargeKw * tHit - (eB - e0) + boundaryLossKw(eB) * (dtH - tHit);
  const clippedKwh = netChargeKw * dtH - lossKwh - (eB - e0);
  return { energyKwh: eB, lossKwh, clippedKwh };
}

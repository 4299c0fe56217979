/**
 * Greenhouse as a 1-node RC model (DESIGN §2):
 *   C·dT/dt = Q + τ·A·I − UA·(T − Tout) − vent
 * Inputs are constant over a step, so each regime is linear and is solved exactly;
 * results do not depend on the step length.
 *
 * Ventilation choice: vents act as an ideal thermostat at ventStartC. Above it they
 * remove exactly what is needed to hold T there, up to maxVentKwPerK·max(0, T − Tout);
 * if that is not enough they run fully open and T rises along the vented RC curve.
 * Vents never heat (max(0, …)): with Tout above T the growers close them.
 */
import { SECONDS_PER_HOUR } from "./thermo.ts";

export interface GreenhouseSpec {
  areaM2: number;
  uaKwPerK: number;
  capacityKwhPerK: number;
  solarTransmittance: number;
  ventStartC: number;
  maxVentKwPerK: number;
}

export function greenhouseSolarKw(spec: GreenhouseSpec, solarWm2: number): number {
  return (spec.solarTransmittance * spec.areaM2 * Math.max(0, solarWm2)) / 1000;
}

/** Linear regime: C·dT/dt = g − u·(T − Tout); returns T(t) and ∫(T − Tout)dt. */
function rc(t0C: number, outC: number, gKw: number, uKwPerK: number, cKwhPerK: number, tH: number) {
  const eqC = outC + gKw / uKwPerK;
  const tauH = cKwhPerK / uKwPerK;
  const decay = Math.exp(-tH / tauH);
  const tempC = eqC + (t0C - eqC) * decay;
  const excessKh = (eqC - outC) * tH + (t0C - eqC) * tauH * (1 - decay);
  return { tempC, excessKh, eqC, tauH };
}

/** Time for the regime to go from t0 to target, or Infinity if it never does. */
function timeToReachH(t0C: number, targetC: number, eqC: number, tauH: number): number {
  const ratio = (targetC - eqC) / (t0C - eqC);
  if (!(ratio > 0 && ratio <= 1)) return Infinity;
  return -tauH * Math.log(ratio);
}

export function greenhouseStep(
  spec: GreenhouseSpec,
  p: { tempC: number; heatKw: number; outdoorTempC: number; solarWm2: number; dtS: number },
): { tempC: number; ventKw: number; lossKw: number; solarKw: number } {
  if (spec.uaKwPerK <= 0 || spec.capacityKwhPerK <= 0) throw new RangeError("greenhouse UA and capacity must be > 0");
  const solarKw = greenhouseSolarKw(spec, p.solarWm2);
  const dtH = p.dtS / SECONDS_PER_HOUR;
  if (dtH <= 0) return { tempC: p.tempC, ventKw: 0, lossKw: spec.uaKwPerK * (p.tempC - p.outdoorTempC), solarKw };

  const gKw = p.heatKw + solarKw;
  const out = p.outdoorTempC;
  const vs = spec.ventStartC;
  const ua = spec.uaKwPerK;
  const c = spec.capacityKwhPerK;
  const vMax = spec.maxVentKwPerK;
  // Vent power needed to hold exactly ventStartC, and what the vents can give there.
  const holdKw = gKw - ua * (vs - out);
  const holdable = holdKw <= vMax * Math.max(0, vs - out);
  const eps = 1e-9;

  let t = p.tempC;
  let leftH = dtH;
  let lossKwh = 0;
  let ventKwh = 0;
  /** Unvented regime for the rest of the step, or until T rises to `targetC` (a regime switch). */
  const freeUntil = (targetC: number): void => {
    const free = rc(t, out, gKw, ua, c, leftH);
    const hitH = free.tempC > targetC ? timeToReachH(t, targetC, free.eqC, free.tauH) : Infinity;
    const runH = Math.min(leftH, hitH);
    const seg = runH === leftH ? free : rc(t, out, gKw, ua, c, runH);
    lossKwh += ua * seg.excessKh;
    t = runH === leftH ? seg.tempC : targetC;
    leftH -= runH;
  };
  // Each pass runs one regime to its end or to a switching event; at most a few switches occur.
  for (let pass = 0; pass < 6 && leftH > 0; pass++) {
    const atVs = Math.abs(t - vs) <= eps;
    if (t < vs - eps || (atVs && holdKw <= 0)) {
      freeUntil(vs); // free regime until T reaches ventStartC from below
    } else if (atVs && holdable) {
      // Thermostatic hold for the rest of the step (inputs are constant).
      lossKwh += ua * (vs - out) * leftH;
      ventKwh += holdKw * leftH;
      t = vs;
      leftH = 0;
    } else if (t >= out - eps) {
      // Vents fully open: UA grows by vMax; stop if T falls back to ventStartC.
      const full = rc(t, out, gKw, ua + vMax, c, leftH);
      const hitH = t > vs && full.eqC < vs ? timeToReachH(t, vs, full.eqC, full.tauH) : Infinity;
      const runH = Math.min(leftH, hitH);
      const seg = runH === leftH ? full : rc(t, out, gKw, ua + vMax, c, runH);
      lossKwh += ua * seg.excessKh;
      ventKwh += vMax * seg.excessKh;
      t = runH === leftH ? seg.tempC : vs;
      leftH -= runH;
    } else {
      freeUntil(out); // above ventStartC but below Tout: vents useless until T reaches Tout
    }
  }
  if (leftH > 0) {
    // Unreachable with consistent inputs (≤ 3 switches); keeps the step complete anyway.
    const rest = rc(t, out, gKw, ua, c, leftH);
    lossKwh += ua * rest.excessKh;
    t = rest.tempC;
  }
  return { tempC: t, ventKw: ventKwh / dtH, lossKw: lossKwh / dtH, solarKw };
}

/**
 * Constant heat over the step that brings the free (unvented) RC trajectory to
 * targetC at the end of the step; 0 if the greenhouse gets there without heat.
 */
export function greenhouseHeatDemandKw(
  spec: GreenhouseSpec,
  p: { tempC: number; targetC: number; outdoorTempC: number; solarWm2: number; dtS: number },
): number {
  const solarKw = greenhouseSolarKw(spec, p.solarWm2);
  const dtH = p.dtS / SECONDS_PER_HOUR;
  const decay = Math.exp(-(dtH * spec.uaKwPerK) / spec.capacityKwhPerK);
  const eqC = decay < 1 ? (p.targetC - p.tempC * decay) / (1 - decay) : p.targetC;
  return Math.max(0, spec.uaKwPerK * (eqC - p.outdoorTempC) - solarKw);
}


/** Peak heating load from a per-floor-area design figure (W/m² at design ΔT). */
export function designLoadKw(areaM2: number, wPerM2: number): number {
  return (areaM2 * wPerM2) / 1000;
}

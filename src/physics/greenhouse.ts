/**
 * Greenhouse as a 1-node RC model (DESIGN §2) with its summer cooling:
 *   C·dT/dt = Q + (1 − f_tr)·τ·A·I − UA·(T − Tout) − vents − screen − fog
 *
 * - Crop transpiration turns a share f_tr of the sun reaching the crop into latent heat, which leaves with the
 *   ventilation air instead of warming it (the radiative term of the Penman–Monteith form as greenhouse models use
 *   it, Stanghellini 1987; the share is derived in the model file).
 * - Cooling is a cascade of thermostats, as a climate computer runs it: vents open at ventStartC; once they are
 *   fully open and the air still warms, the shading screen closes from its start temperature (keeping a share of
 *   the sensible solar gain out); then the fog runs from its start temperature. Each stage modulates to hold its
 *   start temperature while its full capacity allows, and runs fully open above it.
 * - Fog cools the ventilation air by at most efficiency × its wet-bulb depression (and by no more than the nozzles'
 *   water rate allows), so with vents fully open the air is exchanged at Tout − δ instead of Tout.
 *   Vents never heat: with Tout above T and no fog the growers close them.
 *
 * Inputs are constant over a step, so every regime is linear and is solved exactly (events at the stages' start
 * temperatures and at the kinks of the vent flow); results do not depend on the step length.
 */
import { SECONDS_PER_HOUR } from "./thermo.ts";
import { wetBulbC } from "./psychro.ts";

/** Latent heat of vaporisation of water near 20 °C (kJ/kg). */
export const WATER_LATENT_HEAT_KJ_PER_KG = 2450;

export interface GreenhouseShade {
  /** Air temperature from which the screen closes (°C, at or above ventStartC). */
  startC: number;
  /** Share of the sun the closed screen keeps off the crop (its shading factor). */
  fraction: number;
}

export interface GreenhouseFog {
  /** Air temperature from which the fog runs (°C, at or above ventStartC: fog needs the vents open). */
  startC: number;
  /** Most sensible heat the nozzles' water rate can absorb (kW). */
  maxKw: number;
  /** Share of the outdoor wet-bulb depression the fog takes off the ventilation air. */
  efficiency: number;
  /** Outdoor dew point (°C): climatological, the weather inputs carry no humidity. */
  outdoorDewPointC: number;
}

export interface GreenhouseSpec {
  areaM2: number;
  uaKwPerK: number;
  capacityKwhPerK: number;
  solarTransmittance: number;
  ventStartC: number;
  maxVentKwPerK: number;
  /** Share of the sun reaching the crop that transpiration turns into latent heat (0: no crop modelled). */
  transpirationFraction?: number;
  shade?: GreenhouseShade | null;
  fog?: GreenhouseFog | null;
}

/** Sun entering through the glazing (kW): τ·A·I. */
export function greenhouseSolarKw(spec: GreenhouseSpec, solarWm2: number): number {
  return (spec.solarTransmittance * spec.areaM2 * Math.max(0, solarWm2)) / 1000;
}

/** Part of the entering sun that heats the air with the screen open (kW): transpiration takes the rest. */
export function greenhouseSensibleSolarKw(spec: GreenhouseSpec, solarWm2: number): number {
  return greenhouseSolarKw(spec, solarWm2) * (1 - (spec.transpirationFraction ?? 0));
}

/** Sensible gain the closed screen keeps out (kW): the screen also cuts the transpiration it would have fed. */
export function greenhouseShadeKw(spec: GreenhouseSpec, solarWm2: number): number {
  return spec.shade ? spec.shade.fraction * greenhouseSensibleSolarKw(spec, solarWm2) : 0;
}

/** How much the fog cools the ventilation air (K): efficiency × wet-bulb depression, capped by the water rate. */
export function greenhouseFogDropK(spec: GreenhouseSpec, outdoorTempC: number): number {
  const f = spec.fog;
  if (!f || spec.maxVentKwPerK <= 0) return 0;
  const depressionK = outdoorTempC - wetBulbC({ tempC: outdoorTempC, dewPointC: f.outdoorDewPointC });
  return Math.min(f.efficiency * Math.max(0, depressionK), f.maxKw / spec.maxVentKwPerK);
}

/** Fog cooling with the greenhouse at or above Tout (kW): the fully vented air's extra drop. */
export function greenhouseFogKw(spec: GreenhouseSpec, outdoorTempC: number): number {
  return spec.maxVentKwPerK * greenhouseFogDropK(spec, outdoorTempC);
}

/** k·max(0, T − h) */
interface Hinge {
  k: number;
  h: number;
}
/** A cooling stage: removes c + Σ hinges when fully on; modulates at startC. */
interface Stage {
  name: "vent" | "shade" | "fog";
  startC: number;
  c: number;
  hinges: Hinge[];
}

function removalKw(s: Stage, tempC: number): number {
  return s.hinges.reduce((a, h) => a + h.k * Math.max(0, tempC - h.h), s.c);
}

function stagesFor(spec: GreenhouseSpec, outC: number, solarWm2: number): Stage[] {
  const g = spec.maxVentKwPerK;
  const stages: Stage[] = [{ name: "vent", startC: spec.ventStartC, c: 0, hinges: [{ k: g, h: outC }] }];
  if (spec.shade) stages.push({ name: "shade", startC: spec.shade.startC, c: greenhouseShadeKw(spec, solarWm2), hinges: [] });
  const dropK = greenhouseFogDropK(spec, outC);
  if (spec.fog && dropK > 0) stages.push({ name: "fog", startC: spec.fog.startC, c: 0, hinges: [{ k: g, h: outC - dropK }, { k: -g, h: outC }] });
  return stages.sort((a, b) => a.startC - b.startC);
}

export interface GreenhouseStepResult {
  tempC: number;
  /** Mean powers over the step (kW). */
  ventKw: number;
  shadeKw: number;
  fogKw: number;
  lossKw: number;
  /** Sensible solar gain with the screen open (what the balance counts as the sun's gain). */
  solarKw: number;
  /** Solar energy the crop transpires (latent heat leaving with the air, not in the balance). */
  latentKw: number;
}

export function greenhouseStep(
  spec: GreenhouseSpec,
  p: { tempC: number; heatKw: number; outdoorTempC: number; solarWm2: number; dtS: number },
): GreenhouseStepResult {
  if (spec.uaKwPerK <= 0 || spec.capacityKwhPerK <= 0) throw new RangeError("greenhouse UA and capacity must be > 0");
  const solarKw = greenhouseSensibleSolarKw(spec, p.solarWm2);
  const latentKw = greenhouseSolarKw(spec, p.solarWm2) - solarKw;
  const dtH = p.dtS / SECONDS_PER_HOUR;
  const ua = spec.uaKwPerK;
  const out = p.outdoorTempC;
  if (dtH <= 0) return { tempC: p.tempC, ventKw: 0, shadeKw: 0, fogKw: 0, lossKw: ua * (p.tempC - out), solarKw, latentKw };

  const gKw = p.heatKw + solarKw;
  const c = spec.capacityKwhPerK;
  const stages = stagesFor(spec, out, p.solarWm2);
  const breaks = [...new Set(stages.flatMap((s) => [s.startC, ...s.hinges.map((h) => h.h)]))].sort((a, b) => a - b);
  const energyKwh = new Map<Stage, number>(stages.map((s) => [s, 0]));
  const eps = 1e-9;
  /** Net heating with the stages below T fully on, and those starting at T too when `withAtT`. */
  const net = (tempC: number, withAtT: boolean): number =>
    stages.reduce((a, s) => (s.startC < tempC || (withAtT && s.startC === tempC) ? a - removalKw(s, tempC) : a), gKw - ua * (tempC - out));

  let t = p.tempC;
  let leftH = dtH;
  let lossKwh = 0;
  // Each pass runs one linear regime to the end of the step or to the next event; a handful of events at most.
  for (let pass = 0; pass < 64 && leftH > 0; pass++) {
    const snap = breaks.find((b) => Math.abs(b - t) <= eps);
    if (snap !== undefined) t = snap;
    const below = net(t, false);
    const above = net(t, true);
    const dir = above > eps ? 1 : below < -eps ? -1 : 0;
    if (dir === 0) {
      // Held at t for the rest of the step (inputs are constant): stages below t fully on, those starting at t share
      // what holds it, in cascade order.
      let needKw = Math.max(0, below);
      for (const s of stages) {
        const kw = s.startC < t ? removalKw(s, t) : s.startC === t ? Math.min(needKw, removalKw(s, t)) : 0;
        if (s.startC === t) needKw -= kw;
        energyKwh.set(s, energyKwh.get(s)! + kw * leftH);
      }
      lossKwh += ua * (t - out) * leftH;
      leftH = 0;
      break;
    }
    // The affine regime on the open interval from t in direction dir: C·dT/dt = a − b·T.
    const active = stages.filter((s) => (dir > 0 ? s.startC <= t : s.startC < t));
    const on = (h: Hinge) => (dir > 0 ? h.h <= t : h.h < t);
    let a = gKw + ua * out;
    let b = ua;
    for (const s of active) {
      a -= s.c;
      for (const h of s.hinges) if (on(h)) (a += h.k * h.h), (b += h.k);
    }
    const bound = dir > 0 ? breaks.find((x) => x > t) : [...breaks].reverse().find((x) => x < t);
    const eqC = a / b;
    const tauH = c / b;
    let runH = leftH;
    let hit = false;
    if (bound !== undefined && (dir > 0 ? eqC > bound : eqC < bound)) {
      const hitH = tauH * Math.log((t - eqC) / (bound - eqC));
      if (hitH < leftH) (runH = hitH), (hit = true);
    }
    const decay = Math.exp(-runH / tauH);
    const intTKh = eqC * runH + (t - eqC) * tauH * (1 - decay); // ∫T dt over the run
    lossKwh += ua * (intTKh - out * runH);
    for (const s of active) {
      const e = s.hinges.reduce((acc, h) => (on(h) ? acc + h.k * (intTKh - h.h * runH) : acc), s.c * runH);
      energyKwh.set(s, energyKwh.get(s)! + e);
    }
    t = hit ? bound! : eqC + (t - eqC) * decay;
    leftH -= runH;
  }
  const kw = (name: Stage["name"]) => stages.filter((s) => s.name === name).reduce((a, s) => a + energyKwh.get(s)!, 0) / dtH;
  return { tempC: t, ventKw: kw("vent"), shadeKw: kw("shade"), fogKw: kw("fog"), lossKw: lossKwh / dtH, solarKw, latentKw };
}

/** Heat the cooling cascade removes at a held air temperature (kW): every stage started at or below it, fully on. */
export function greenhouseCoolingKw(spec: GreenhouseSpec, p: { tempC: number; outdoorTempC: number; solarWm2: number }): number {
  return stagesFor(spec, p.outdoorTempC, p.solarWm2).reduce((a, s) => (s.startC <= p.tempC ? a + removalKw(s, p.tempC) : a), 0);
}

/**
 * Where the air settles under constant inputs: the unique steady state or thermostat hold of greenhouseStep (°C),
 * and the heat its cooling (vents, screen, fog) then removes (kW).
 */
export function greenhouseSteady(spec: GreenhouseSpec, p: { heatKw: number; outdoorTempC: number; solarWm2: number }): { tempC: number; coolingKw: number } {
  // Over 1e9 s the transient from ventStartC is a negligible part of the step's mean powers (τ is hours).
  const r = greenhouseStep(spec, { ...p, tempC: spec.ventStartC, dtS: 1e9 });
  return { tempC: r.tempC, coolingKw: r.ventKw + r.shadeKw + r.fogKw };
}

/**
 * Constant heat over the step that brings the free (unvented, screen open) RC trajectory to targetC at the end of
 * the step; 0 if the greenhouse gets there without heat. The sun counts with transpiration taken off.
 */
export function greenhouseHeatDemandKw(
  spec: GreenhouseSpec,
  p: { tempC: number; targetC: number; outdoorTempC: number; solarWm2: number; dtS: number },
): number {
  const solarKw = greenhouseSensibleSolarKw(spec, p.solarWm2);
  const dtH = p.dtS / SECONDS_PER_HOUR;
  const decay = Math.exp(-(dtH * spec.uaKwPerK) / spec.capacityKwhPerK);
  const eqC = decay < 1 ? (p.targetC - p.tempC * decay) / (1 - decay) : p.targetC;
  return Math.max(0, spec.uaKwPerK * (eqC - p.outdoorTempC) - solarKw);
}

/** Peak heating load from a per-floor-area design figure (W/m² at design ΔT). */
export function designLoadKw(areaM2: number, wPerM2: number): number {
  return (areaM2 * wPerM2) / 1000;
}

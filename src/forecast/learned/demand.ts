/**
 * Network demand learned from the plant's history (DESIGN §4 "Forecasts"):
 *   demand(t) ≈ shape[hour-of-week] · (baseLoadKw + slopeKwPerK · max(0, baseC − T(t))) + w(lead) · residual now.
 * The heating signature is the physics (demand grows as it gets colder, DESIGN §2); the multiplicative shape is
 * the loop's own rhythm (morning peaks, setback nights) that scales with the heating; the residual now carries
 * what neither explains today (wind, a holiday, a sub-station on manual) and fades at its measured rate.
 *
 * Base temperature: the model's m.network.baseC, not fitted. A winter-only history (the usual case when the
 * plant starts in the heating season) has every hour below any candidate base, so base and intercept cannot be
 * told apart and a fitted base would be arbitrary, yet it decides the spring forecast. The engineer's base is a
 * stated assumption; the slope and the base load are fitted on it. The slope is also pulled toward the model's
 * (designKw / (baseC − designOutdoorC)) by a prior worth SLOPE_PRIOR_K2: negligible once the history spans a
 * few kelvin, decisive in summer when every hour is above the base and the data say nothing about heating.
 *
 * Hours where the network took nothing (≤ 0 kW) are left out of the fit: a loop always draws hot water, so zero
 * is an outage or a meter fault, not demand. The caller handles an outage now (DESIGN §4).
 */
import type { PlantModel } from "../../model/plant-model.ts";
import { networkDemandKw } from "../../physics/demand.ts";
import { parisLocalParts } from "../../physics/paris-time.ts";
import { checkHourly, fitWindowMs, HOUR_MS, hourFloorMs, parisHourOfWeek, valueAtHour, type HourlySeries } from "./hourly.ts";
import { blendedStepMeans, decayFromResiduals, type PersistenceDecay } from "./decay.ts";
import { DEFAULT_PROFILE_RULES, fitSlotProfile, profileLabel, type SlotProfile } from "./profile.ts";
import { DEFAULT_WINDOW_DAYS, rounded, type LearnedForecast, type LearnedOptions } from "./types.ts";

/** Weight of the model's slope in the fit, K² (≈ 100 hours of history spread over 1 K of heating degrees). */
export const SLOPE_PRIOR_K2 = 100;
/** Alternations between the signature and the shape (2023 replay: the slope moves < 0.5 % after the fourth). */
const ALTERNATIONS = 5;

export interface DemandOptions extends LearnedOptions {
  /** Overlapping demand + temperature days needed before learning (default 7: each weekday seen once). */
  minOverlapDays?: number;
}

export interface DemandFit {
  baseC: number;
  baseLoadKw: number;
  slopeKwPerK: number;
  /** Multiplicative, mean 1 over the 168 hours of the week. */
  shape: SlotProfile;
  /** Weight of the present residual by lead, from the residuals' autocorrelation. */
  decay: PersistenceDecay;
  overlapHours: number;
}

export interface DemandForecastInput {
  model: PlantModel;
  /** Hourly mean network demand, kW. Hours at or after nowMs are ignored. */
  demandHistory: HourlySeries;
  /** Hourly mean outdoor temperature, °C, on any UTC-hour start. */
  outdoorTempHistory: HourlySeries;
  /** Network demand observed now, kW (NaN if unknown: no persistence term). */
  observedDemandKw: number;
  /** Outdoor temperature now, °C; default outdoorTempForecastC[0] (plantForecast sets step 0 to the observed). */
  observedOutdoorTempC?: number;
  nowMs: number;
  /** n + 1 step boundaries in ms, as stepBoundsMs gives. */
  stepBoundsMs: readonly number[];
  /** Outdoor temperature forecast per step, °C (n values). */
  outdoorTempForecastC: readonly number[];
  options?: DemandOptions;
}

/** Model slope, kW per K below the base: the prior the fit is pulled toward. */
function modelSlopeKwPerK(m: PlantModel): number {
  const span = m.network.baseC - m.network.designOutdoorC;
  return span > 0 ? m.network.designKw / span : 0;
}

/** Weighted least squares of z ≈ a + b·x with a prior λ(b − b0)², then a, b ≥ 0 (demand never falls with cold). */
function fitLine(x: Float64Array, z: Float64Array, w: Float64Array, b0: number): { a: number; b: number } {
  let sw = 0, sx = 0, sxx = 0, sz = 0, sxz = 0;
  for (let i = 0; i < x.length; i++) {
    sw += w[i]!;
    sx += w[i]! * x[i]!;
    sxx += w[i]! * x[i]! * x[i]!;
    sz += w[i]! * z[i]!;
    sxz += w[i]! * x[i]! * z[i]!;
  }
  const lam = SLOPE_PRIOR_K2;
  const det = sw * (sxx + lam) - sx * sx;
  let a = det > 0 ? (sz * (sxx + lam) - sx * (sxz + lam * b0)) / det : sz / sw;
  let b = det > 0 ? (sw * (sxz + lam * b0) - sx * sz) / det : b0;
  if (b < 0) {
    b = 0;
    a = sz / sw;
  }
  if (a < 0) {
    a = 0;
    b = Math.max(0, (sxz + lam * b0) / (sxx + lam));
  }
  return { a, b };
}

/** Fits signature, shape and persistence decay on the history before nowMs, or says why it cannot. */
export function fitDemand(m: PlantModel, demand: HourlySeries, temp: HourlySeries, nowMs: number, options: DemandOptions = {}): DemandFit | { why: string } {
  checkHourly(demand, "demand history");
  checkHourly(temp, "outdoor temperature history");
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const minDays = options.minOverlapDays ?? 7;
  const rules = options.profileRules ?? DEFAULT_PROFILE_RULES;
  const baseC = m.network.baseC;
  const { fromMs, toMs } = fitWindowMs(nowMs, windowDays);
  const hours = Math.max(0, (toMs - fromMs) / HOUR_MS);
  const gridIndex: number[] = [], slots: number[] = [], ys: number[] = [], xs: number[] = [];
  for (let i = 0; i < hours; i++) {
    const h = fromMs + i * HOUR_MS;
    const y = valueAtHour(demand, h), t = valueAtHour(temp, h);
    if (!(Number.isFinite(y) && y > 0 && Number.isFinite(t))) continue;
    gridIndex.push(i);
    slots.push(parisHourOfWeek(h));
    ys.push(y);
    xs.push(Math.max(0, baseC - t));
  }
  const n = ys.length;
  if (n < minDays * 24) {
    return { why: `network demand history too short to learn from: ${(n / 24).toFixed(1)} days of hours with both demand (> 0) and outdoor temperature in the last ${windowDays} days, ${minDays} needed` };
  }
  const x = Float64Array.from(xs), y = Float64Array.from(ys);
  const f = new Float64Array(n).fill(1);
  const z = new Float64Array(n), w = new Float64Array(n), sig = new Float64Array(n);
  const b0 = modelSlopeKwPerK(m);
  let line = { a: 0, b: 0 };
  // Flat until fitted; it stays flat only if minOverlapDays was set below the profile's minDailyDays.
  let shape: SlotProfile = { kind: "daily", values: new Float64Array(168).fill(1), daysOfData: n / 24, shrinkWeeks: Infinity };
  for (let k = 0; ; k++) {
    // y ≈ f·(a + b x) ⇔ y/f ≈ a + b x with weight f², so each hour counts by its error in kW.
    for (let i = 0; i < n; i++) {
      z[i] = y[i]! / f[i]!;
      w[i] = f[i]! * f[i]!;
    }
    line = fitLine(x, z, w, b0);
    if (k === ALTERNATIONS) break;
    for (let i = 0; i < n; i++) sig[i] = line.a + line.b * x[i]!;
    const fitted = fitSlotProfile(slots, y, sig, rules);
    if (!fitted) break;
    let mean = 0;
    for (let s = 0; s < 168; s++) mean += fitted.values[s]! / 168;
    // Mean 1, so the level lives in the signature; a shape of a zero signature (mean 0) stays flat.
    for (let s = 0; s < 168; s++) fitted.values[s] = mean > 0 ? fitted.values[s]! / mean : 1;
    shape = fitted;
    for (let i = 0; i < n; i++) f[i] = shape.values[slots[i]!]! > 0 ? shape.values[slots[i]!]! : 1;
  }
  const residual = new Float64Array(hours).fill(Number.NaN);
  for (let j = 0; j < n; j++) residual[gridIndex[j]!] = y[j]! - f[j]! * (line.a + line.b * x[j]!);
  return { baseC, baseLoadKw: line.a, slopeKwPerK: line.b, shape, decay: decayFromResiduals(residual, options.decay), overlapHours: n };
}

/** The fitted demand at an hour-of-week and outdoor temperature, kW. */
export function fittedDemandKw(fit: DemandFit, hourOfWeek: number, outdoorTempC: number): number {
  return fit.shape.values[hourOfWeek]! * (fit.baseLoadKw + fit.slopeKwPerK * Math.max(0, fit.baseC - outdoorTempC));
}

/** Network demand per plan step, kW: learned when the history allows, else the model's heating signature. */
export function forecastNetworkDemand(input: DemandForecastInput): LearnedForecast {
  const { model: m, nowMs, stepBoundsMs: bounds, outdoorTempForecastC: tempC } = input;
  const n = bounds.length - 1;
  if (tempC.length !== n) throw new RangeError(`outdoorTempForecastC needs one value per step (${n}), got ${tempC.length}`);
  const fit = fitDemand(m, input.demandHistory, input.outdoorTempHistory, nowMs, input.options);
  if ("why" in fit) {
    // The same as plantForecast without arrays: the model's signature at each step's temperature and mid-step hour.
    const valuesKw = tempC.map((t, s) => networkDemandKw(m.network, t, parisLocalParts((bounds[s]! + bounds[s + 1]!) / 2).hourOfWeek));
    return { valuesKw, source: "model", why: fit.why };
  }
  const tempNowC = input.observedOutdoorTempC ?? tempC[0];
  const observed = input.observedDemandKw;
  const expectedNowKw = tempNowC !== undefined && Number.isFinite(tempNowC) ? fittedDemandKw(fit, parisHourOfWeek(hourFloorMs(nowMs)), tempNowC) : Number.NaN;
  const residualNowKw = Number.isFinite(observed) && Number.isFinite(expectedNowKw) ? observed - expectedNowKw : 0;
  const valuesKw = blendedStepMeans(bounds, nowMs, (_h, how, s) => fittedDemandKw(fit, how, tempC[s]!), residualNowKw, fit.decay).map((v) => Math.max(0, v));
  return {
    valuesKw,
    source: "learned",
    fit: {
      shape: profileLabel(fit.shape),
      baseC: fit.baseC,
      baseLoadKw: rounded(fit.baseLoadKw, 0),
      slopeKwPerK: rounded(fit.slopeKwPerK, 1),
      weight1h: rounded(fit.decay.byLeadH[1]!, 3),
      weight24h: rounded(fit.decay.byLeadH[24]!, 3),
      overlapDays: rounded(fit.overlapHours / 24, 2),
      residualNowKw: rounded(residualNowKw, 0),
    },
  };
}

/**
 * IT heat learned from the plant's history (DESIGN §4 "Forecasts"): a Paris hour-of-week profile blended with
 * persistence, forecast(t) = profile(t) + w(lead) · (observed now − profile(now)), w the residuals' own
 * autocorrelation at that lead (decay.ts). The profile carries the daily rhythm (office hours, batch jobs) that
 * persistence misses at long leads; persistence carries today's level (a tenant added racks) that the profile
 * misses at short ones.
 * While the history is too short: the model's value, i.e. persistence of the observed value (today's daemon).
 */
import type { PlantModel } from "../../model/plant-model.ts";
import { checkHourly, fitWindowMs, HOUR_MS, hourFloorMs, parisHourOfWeek, valueAtHour, type HourlySeries } from "./hourly.ts";
import { blendedStepMeans, decayFromResiduals, type PersistenceDecay } from "./decay.ts";
import { DEFAULT_PROFILE_RULES, fitSlotProfile, profileLabel, type SlotProfile } from "./profile.ts";
import { DEFAULT_WINDOW_DAYS, rounded, type LearnedForecast, type LearnedOptions } from "./types.ts";

export interface ItHeatFit {
  profile: SlotProfile;
  /** Weight of the present anomaly by lead, from the residuals' autocorrelation. */
  decay: PersistenceDecay;
}

export interface ItHeatForecastInput {
  model: PlantModel;
  /** Hourly mean IT heat reaching the facility water, kW. Hours at or after nowMs are ignored. */
  itHeatHistory: HourlySeries;
  /** IT heat observed now, kW (NaN if unknown: the profile alone, or the model's nominal while learning). */
  observedItHeatKw: number;
  nowMs: number;
  /** n + 1 step boundaries in ms, as stepBoundsMs gives. */
  stepBoundsMs: readonly number[];
  options?: LearnedOptions;
}

/** Fits the profile and the persistence decay on the history before nowMs, or says why it cannot. */
export function fitItHeat(history: HourlySeries, nowMs: number, options: LearnedOptions = {}): ItHeatFit | { why: string } {
  checkHourly(history, "IT heat history");
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const rules = options.profileRules ?? DEFAULT_PROFILE_RULES;
  const { fromMs, toMs } = fitWindowMs(nowMs, windowDays);
  const hours = Math.max(0, (toMs - fromMs) / HOUR_MS);
  const slotOf = new Int16Array(hours);
  const value = new Float64Array(hours);
  const slots: number[] = [];
  const kw: number[] = [];
  for (let i = 0; i < hours; i++) {
    const h = fromMs + i * HOUR_MS;
    const v = valueAtHour(history, h);
    slotOf[i] = parisHourOfWeek(h);
    value[i] = v;
    if (Number.isFinite(v)) {
      slots.push(slotOf[i]!);
      kw.push(v);
    }
  }
  const profile = fitSlotProfile(slots, kw, new Float64Array(kw.length).fill(1), rules);
  if (!profile) {
    return { why: `IT heat history too short for a learned profile: ${(kw.length / 24).toFixed(1)} days of hourly data in the last ${windowDays} days, a daily profile needs ${rules.minDailyDays}` };
  }
  // Residuals on the full hour grid (NaN where missing) so that only truly consecutive hours pair up.
  const residual = value.map((v, i) => v - profile.values[slotOf[i]!]!);
  return { profile, decay: decayFromResiduals(residual, options.decay) };
}

/** IT heat per plan step, kW: learned when the history allows, else the observed value held (source "model"). */
export function forecastItHeat(input: ItHeatForecastInput): LearnedForecast {
  const { model: m, nowMs, stepBoundsMs: bounds } = input;
  const observed = input.observedItHeatKw;
  const fit = fitItHeat(input.itHeatHistory, nowMs, input.options);
  if ("why" in fit) {
    // What the daemon does without history: the present held; the model's nominal if even that is unknown.
    const heldKw = Number.isFinite(observed) ? observed : m.it.loadKw * m.it.heatFraction;
    return { valuesKw: new Array<number>(bounds.length - 1).fill(heldKw), source: "model", why: fit.why };
  }
  const p = fit.profile.values;
  const anomalyKw = Number.isFinite(observed) ? observed - p[parisHourOfWeek(hourFloorMs(nowMs))]! : 0;
  const valuesKw = blendedStepMeans(bounds, nowMs, (_h, how) => p[how]!, anomalyKw, fit.decay).map((v) => Math.max(0, v));
  return {
    valuesKw,
    source: "learned",
    fit: {
      profile: profileLabel(fit.profile),
      daysOfData: rounded(fit.profile.daysOfData, 2),
      weight1h: rounded(fit.decay.byLeadH[1]!, 3),
      weight24h: rounded(fit.decay.byLeadH[24]!, 3),
      anomalyNowKw: rounded(anomalyKw, 1),
    },
  };
}

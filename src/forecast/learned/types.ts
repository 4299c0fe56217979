import type { DecayMode } from "./decay.ts";
import type { ProfileRules } from "./profile.ts";

/** What a learned forecaster hands the planner: plain data, so the daemon can log and store it as JSON. */
export interface LearnedForecast {
  /** Mean over each plan step [bounds[t], bounds[t+1]), kW. */
  valuesKw: number[];
  /** "learned" = fitted on the plant's history; "model" = the model's own profile while history is short. */
  source: "learned" | "model";
  /** Why the model's profile was used (absent when learned). */
  why?: string;
  /** What was fitted, for the log and the HMI (absent when the model's profile was used). */
  fit?: Record<string, number | string>;
}

export interface LearnedOptions {
  /** Only the last windowDays of history are fitted (default 56): the plant and the season drift. */
  windowDays?: number;
  profileRules?: ProfileRules;
  /** How the persistence weight falls with lead (default "acf": measured at each lead; see profile.ts). */
  decay?: DecayMode;
}

export const DEFAULT_WINDOW_DAYS = 56;

/** Rounded for the log: the fit record is read by people, not reused. */
export function rounded(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

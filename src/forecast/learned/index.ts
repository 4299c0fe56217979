/** Learned forecasters for the daemon (DESIGN §4 "Forecasts"): pure, history and clock come in as arguments. */
export { type HourlySeries, hourlyMeansOf, meanOverMs, parisHourOfWeek } from "./hourly.ts";
export { type LearnedForecast, type LearnedOptions, DEFAULT_WINDOW_DAYS } from "./types.ts";
export { type ProfileKind, type ProfileRules, type SlotProfile, DEFAULT_PROFILE_RULES } from "./profile.ts";
export { type DecayMode, type PersistenceDecay } from "./decay.ts";
export { type ItHeatFit, type ItHeatForecastInput, fitItHeat, forecastItHeat } from "./it-heat.ts";
export { type DemandFit, type DemandForecastInput, type DemandOptions, fitDemand, fittedDemandKw, forecastNetworkDemand } from "./demand.ts";
export { type ForecastScore, type IssuedForecast, type LeadBucketScore, DEFAULT_BUCKET_EDGES_H, scoreForecasts } from "./score.ts";

import type { plantForecast } from "../forecast/plant-forecast.ts";
import type { DaemonForecast } from "../forecast/daemon-forecast.ts";
import { stepBoundsMs } from "../optimizer/plan-grid.ts";
import type { ForecastFacts } from "../store/types.ts";

/** The plant's arrays or the model's profiles, as a daemon forecast (IT heat by persistence). */
export function fromPlant(pf: ReturnType<typeof plantForecast>): DaemonForecast {
  const q = pf.source === "plant" ? { source: "plant" } : { source: "model", why: pf.why ?? "no forecast arrays" };
  return { forecast: pf.forecast, sources: { it_heat_kw: { source: "model", why: "persistence" }, dh_demand_kw: q, outdoor_temp_c: q, solar_w_m2: q, price_el_eur_mwh: q } };
}

/** The forecast a plan was made on, per quantity, for the history (scored later against what happened). */
export function forecastFacts(df: DaemonForecast): ForecastFacts[] {
  const f = df.forecast;
  const boundsMs = stepBoundsMs(f.startMs, f.stepsS);
  const values: Record<keyof DaemonForecast["sources"], number[]> = { it_heat_kw: f.itHeatKw, dh_demand_kw: f.dhDemandKw, outdoor_temp_c: f.outdoorTempC, price_el_eur_mwh: f.priceElEurPerMwh, solar_w_m2: f.solarWm2 };
  return (Object.keys(values) as (keyof typeof values)[]).map((k) => ({ issuedMs: f.startMs, quantity: k, source: df.sources[k].source, ...(df.sources[k].why ? { why: df.sources[k].why } : {}), boundsMs, values: values[k] }));
}


import type { plantForecast } from "../forecast/plant-forecast.ts";
import { MEASURED_AS, type DaemonForecast } from "../forecast/daemon-forecast.ts";
import type { Sample } from "../io/types.ts";
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


/**
 * Why each source was used, completed for the log and the history: a failed read of the plant's arrays, and for a
 * price or temperature held at its last value, that value and its age.
 */
export function annotateSources(pf: DaemonForecast, readError: string | null, samples: ReadonlyMap<string, Sample>, obsMs: number): void {
  if (readError !== null) for (const q of Object.values(pf.sources)) if (q.why) q.why = `${q.why}: ${readError}`;
  for (const q of ["price_el_eur_mwh", "outdoor_temp_c"] as const) {
    const s = samples.get(MEASURED_AS[q]);
    if (pf.sources[q].source === "last known" && s) pf.sources[q].why = `${pf.sources[q].why ?? ""}; held at ${s.value} measured ${Math.max(0, Math.round((obsMs - s.sourceMs) / 1000))} s before`;
  }
}

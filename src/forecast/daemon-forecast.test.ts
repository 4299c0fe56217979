import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { Observation } from "../control/types.ts";
import { daemonForecast, type ForecastHistories } from "./daemon-forecast.ts";
import { HourlyAccumulator } from "./hourly-accumulator.ts";
import type { ForecastArrays } from "./plant-forecast.ts";
import { observationAt } from "../control/observation-fixture.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.parse("2026-01-12T06:00:00Z");
const obs: Observation = observationAt(m, T0 + 30 * 60_000, { itHeatKw: 910, outdoorTempC: 4, priceElEurPerMwh: 70, dhDemandKw: 1500 });
const grid = [900, 900, 3600, 3600];
const hourly = (f: (h: number) => number) => Array.from({ length: 48 }, (_, h) => f(h));
const arrays: ForecastArrays = { startMs: T0, stepS: 3600, series: { "forecast.outdoor_temp_c": hourly((h) => h), "forecast.solar_w_m2": hourly(() => 100), "forecast.price_el_eur_mwh": hourly((h) => 10 * h), "forecast.dh_demand_kw": hourly(() => 1200) } };
const dropPrices = { series: { startMs: T0 - 3_600_000, stepS: 3600, values: hourly((h) => 200 + h) }, file: "/drop/prices.csv", ageS: 120 };

describe("the daemon's forecast, each quantity from its best source", () => {
  it("the plant's arrays first; the drop folder only without them; the last known value (observed now) last", () => {
    const withArrays = daemonForecast(m, obs, grid, { arrays, drop: { price_el_eur_mwh: dropPrices }, histories: null });
    expect(withArrays.sources.price_el_eur_mwh.source).toBe("plant");
    expect(withArrays.forecast.priceElEurPerMwh).toEqual([70, 0, 10, 20]);
    const fromDrop = daemonForecast(m, obs, grid, { arrays: null, drop: { price_el_eur_mwh: dropPrices }, histories: null });
    expect(fromDrop.sources.price_el_eur_mwh.source).toBe("drop folder: /drop/prices.csv");
    // Steps 06:45–07:00 in the file's hour 1 (201), 07:00–08:00 hour 2, 08:00–09:00 hour 3; the present observed.
    expect(fromDrop.forecast.priceElEurPerMwh).toEqual([70, 201, 202, 203]);
    expect(fromDrop.sources.outdoor_temp_c.source).toBe("last known");
    expect(fromDrop.forecast.outdoorTempC).toEqual([4, 4, 4, 4]);
    // A file that ends before half the horizon is not used.
    const short = { ...dropPrices, series: { ...dropPrices.series, values: [1, 2] } };
    const stale = daemonForecast(m, obs, [900, 900, 3600, 3600, 3600, 3600, 3600, 3600], { arrays: null, drop: { price_el_eur_mwh: short }, histories: null });
    expect(stale.sources.price_el_eur_mwh.source).toBe("last known");
  });

  it("IT heat and demand learned once the history is long enough; the model's profile before, saying why", () => {
    const acc = { itHeat: new HourlyAccumulator(56, obs.timeMs), dhDemand: new HourlyAccumulator(56, obs.timeMs), outdoorTemp: new HourlyAccumulator(56, obs.timeMs) };
    const histories = (): ForecastHistories => ({ itHeat: acc.itHeat.series(obs.timeMs), dhDemand: acc.dhDemand.series(obs.timeMs), outdoorTemp: acc.outdoorTemp.series(obs.timeMs) });
    const early = daemonForecast(m, obs, grid, { arrays, drop: {}, histories: histories() });
    expect(early.sources.it_heat_kw.source).toBe("model");
    expect(early.sources.it_heat_kw.why).toMatch(/persistence/);
    expect(early.sources.dh_demand_kw.source).toBe("plant");
    expect(early.sources.dh_demand_kw.why).toMatch(/not learned/);
    // Three weeks of history, one sample every 10 min: IT heat with a daily swing, demand 2000 − 50·T.
    for (let t = obs.timeMs - 21 * 86_400_000; t < obs.timeMs; t += 600_000) {
      const hour = new Date(t).getUTCHours();
      const tempC = 5 + 5 * Math.sin((hour / 24) * 2 * Math.PI);
      acc.itHeat.add(t, 900 + (hour < 12 ? 20 : -20));
      acc.outdoorTemp.add(t, tempC);
      acc.dhDemand.add(t, 2000 - 50 * tempC);
    }
    // Demand observed now on the same signature (outdoor 4 °C): no anomaly to carry forward.
    const late = daemonForecast(m, { ...obs, dhDemandKw: 2000 - 50 * 4 }, grid, { arrays, drop: {}, histories: histories() });
    expect(late.sources.it_heat_kw.source).toBe("learned");
    expect(late.sources.dh_demand_kw.source).toBe("learned");
    // 08:00–09:00 UTC: the morning level (920 kW) more than the observed 910 held; demand from the signature at
    // the arrays' temperature for that hour (2 °C): near 2000 − 50·2 = 1900 kW, not the arrays' 1200.
    expect(late.forecast.itHeatKw[3]!).toBeGreaterThan(912);
    expect(Math.abs(late.forecast.dhDemandKw[3]! - 1900)).toBeLessThan(60);
  });
});

describe("the hourly accumulator", () => {
  it("means per UTC hour over a sliding window; hours that left the window are forgotten", () => {
    const a = new HourlyAccumulator(1, T0);
    a.add(T0 - 10 * 60_000, 10);
    a.add(T0 - 5 * 60_000, 20);
    a.add(T0 + 5 * 60_000, 7);
    let s = a.series(T0 + 10 * 60_000);
    expect(s.startMs + (s.values.length - 1) * 3_600_000).toBe(T0);
    expect(s.values.at(-1)).toBe(7);
    expect(s.values.at(-2)).toBe(15);
    expect(Number.isNaN(s.values.at(-3)!)).toBe(true);
    // Two days on, the old hours are gone, and a sample older than the window is ignored.
    a.add(T0 + 2 * 86_400_000, 3);
    a.add(T0, 99);
    s = a.series(T0 + 2 * 86_400_000);
    expect(Array.from(s.values).filter((v) => !Number.isNaN(v))).toEqual([3]);
  });
});

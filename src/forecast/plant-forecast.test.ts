import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { Observation } from "../control/types.ts";
import { networkDemandKw } from "../physics/demand.ts";
import { parisLocalParts } from "../physics/paris-time.ts";
import { plantForecast, type ForecastArrays } from "./plant-forecast.ts";
import { observationAt } from "../control/observation-fixture.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.parse("2026-01-12T06:00:00Z");
const obs: Observation = observationAt(m, T0 + 30 * 60_000, {
  itHeatKw: 910,
  outdoorTempC: 4,
  priceElEurPerMwh: 70,
  dhDemandKw: 1500,
  hps: m.heatPumps.map((h, i) => ({ id: h.id, available: i === 0, running: false, heatKw: 0, stateS: 1e6, cop: 5.5 })),
});
const hourly = (f: (h: number) => number) => Array.from({ length: 48 }, (_, h) => f(h));
const arrays: ForecastArrays = {
  startMs: T0,
  stepS: 3600,
  series: { "forecast.outdoor_temp_c": hourly((h) => h), "forecast.solar_w_m2": hourly(() => 100), "forecast.price_el_eur_mwh": hourly((h) => 10 * h), "forecast.dh_demand_kw": hourly(() => 1200) },
};

describe("the daemon's forecast from the plant's arrays", () => {
  it("step means over the hourly arrays, a step across two hours weighted by time; the present as observed", () => {
    const grid = [900, 900, 3600, 3600];
    const f = plantForecast(m, obs, grid, arrays);
    expect(f.source).toBe("plant");
    // Steps: 06:30–06:45 (hour 0), 06:45–07:00 (hour 0), 07:00–08:00 (hour 1), 08:00–09:00 (hour 2).
    expect(f.forecast.outdoorTempC).toEqual([4, 0, 1, 2]);
    expect(f.forecast.priceElEurPerMwh).toEqual([70, 0, 10, 20]);
    expect(f.forecast.itHeatKw).toEqual([910, 910, 910, 910]);
    expect(f.forecast.hpAvailable).toEqual([[true, true, true, true], [false, false, false, false]]);
    const across = plantForecast(m, { ...obs, timeMs: T0 + 45 * 60_000 }, [900, 3600], arrays);
    // 06:45–07:00 in hour 0, then 07:00–08:00 — and one starting at 07:45 would span hours 1 and 2:
    expect(across.forecast.outdoorTempC[1]).toBe(1);
    const straddle = plantForecast(m, { ...obs, timeMs: T0 + 90 * 60_000 }, [900, 3600], arrays);
    expect(straddle.forecast.outdoorTempC[1]).toBeCloseTo(1 * 0.25 + 2 * 0.75, 12);
  });

  it("arrays that end before half the horizon: the model's profiles, saying why", () => {
    const short = { ...arrays, series: Object.fromEntries(Object.entries(arrays.series).map(([k, v]) => [k, v.slice(0, 6)])) };
    const grid = new Array<number>(96).fill(900);
    const f = plantForecast(m, obs, grid, short);
    expect(f.source).toBe("model");
    expect(f.why).toBe("the forecast ends 2026-01-12T12:00:00.000Z, before half the horizon");
    expect(f.forecast.solarWm2.every((v) => v === 0)).toBe(true);
    const mid = obs.timeMs + 10 * 900_000 + 450_000;
    expect(f.forecast.dhDemandKw[10]).toBeCloseTo(networkDemandKw(m.network, 4, parisLocalParts(mid).hourOfWeek), 9);
  });

  it("a network taking nothing now is planned out for an hour", () => {
    const f = plantForecast(m, { ...obs, dhDemandKw: 0 }, [900, 900, 900, 900, 900, 900], arrays);
    expect(f.forecast.dhDemandKw).toEqual([0, 0, 0, 0, 1200, 1200]);
  });
});

import { describe, expect, it } from "vitest";
import { loadModel } from "../../config/plant-model.ts";
import { stepBoundsMs, uniformGrid } from "../../optimizer/plan-grid.ts";
import { defaultHourOfWeekFactors, networkDemandKw } from "../../physics/demand.ts";
import { parisLocalParts } from "../../physics/paris-time.ts";
import { createRng } from "../../physics/random.ts";
import { fitDemand, fittedDemandKw, forecastNetworkDemand, type DemandFit } from "./demand.ts";
import type { HourlySeries } from "./hourly.ts";

const m = loadModel("models/paris-chapelle.yaml"); // base 16 °C, slope 3200 kW / 21 K
const H = 3_600_000;
const NOW = Date.UTC(2023, 1, 20, 11, 20); // mid-hour on purpose
const START = Date.UTC(2023, 0, 9); // 42 days before
const HOURS = (Date.UTC(2023, 1, 20, 11) - START) / H;

/** Known truth: shape × (400 kW + 150 kW/K below 16 °C), temperatures spanning −4 … 21 °C, 1 % noise. */
const SHAPE = defaultHourOfWeekFactors();
const rng = createRng(42);
const tempC = Float64Array.from({ length: HOURS }, (_, i) => 8 + 9 * Math.sin((2 * Math.PI * i) / (24 * 11)) + 3 * Math.sin((2 * Math.PI * (i - 9)) / 24) + rng.normal());
const trueKw = (i: number) => SHAPE[parisLocalParts(START + i * H).hourOfWeek]! * (400 + 150 * Math.max(0, 16 - tempC[i]!));
const demandKw = Float64Array.from({ length: HOURS }, (_, i) => trueKw(i) * (1 + 0.01 * rng.normal()));
const temp: HourlySeries = { startMs: START, values: tempC };
const demand: HourlySeries = { startMs: START, values: demandKw };
const hourly = (n: number) => stepBoundsMs(NOW, uniformGrid(n, 3600));

function expectRecovered(fit: DemandFit | { why: string }, tol: number): void {
  if ("why" in fit) throw new Error(fit.why);
  expect(Math.abs(fit.baseLoadKw / 400 - 1)).toBeLessThan(tol);
  expect(Math.abs(fit.slopeKwPerK / 150 - 1)).toBeLessThan(tol);
  for (let s = 0; s < 168; s++) expect(Math.abs(fit.shape.values[s]! - SHAPE[s]!)).toBeLessThan(tol * 2);
}

describe("network demand: fitted heating signature", () => {
  it("recovers the known base load, slope and hour-of-week shape from synthetic data", () => {
    expectRecovered(fitDemand(m, demand, temp, NOW), 0.01);
  });
  it("ignores missing hours (NaN, in either series) and hours the network took nothing (outage)", () => {
    const holes = createRng(9);
    const gappyD = demandKw.map((v, i) => (holes.next() < 0.2 ? NaN : i >= 300 && i < 330 ? 0 : v));
    const gappyT = tempC.map((v) => (holes.next() < 0.1 ? NaN : v));
    expectRecovered(fitDemand(m, { startMs: START, values: gappyD }, { startMs: START, values: gappyT }, NOW), 0.015);
  });
  it("keeps the model's slope when every hour was above the base temperature (summer: nothing to learn it from)", () => {
    const warm: HourlySeries = { startMs: START, values: tempC.map((t) => 20 + Math.abs(t) / 3) };
    const flat: HourlySeries = { startMs: START, values: demandKw.map((_, i) => 380 + (i % 7)) };
    const fit = fitDemand(m, flat, warm, NOW);
    if ("why" in fit) throw new Error(fit.why);
    expect(fit.slopeKwPerK).toBeCloseTo(3200 / 21, 6);
    expect(Math.abs(fit.baseLoadKw - 383)).toBeLessThan(1);
  });
});

describe("network demand forecaster", () => {
  it("falls back to the model's signature while there are fewer than 7 days of overlapping hours", () => {
    const late = NOW - 6 * 24 * H;
    const onlyRecent: HourlySeries = { startMs: START, values: demandKw.map((v, i) => (START + i * H < late ? NaN : v)) };
    const bounds = hourly(24);
    const stepT = Array.from({ length: 24 }, (_, k) => 2 + k / 4);
    const f = forecastNetworkDemand({ model: m, demandHistory: onlyRecent, outdoorTempHistory: temp, observedDemandKw: 2000, nowMs: NOW, stepBoundsMs: bounds, outdoorTempForecastC: stepT });
    expect(f.source).toBe("model");
    expect(f.why).toMatch(/too short.*6\.0 days.*7 needed/);
    f.valuesKw.forEach((v, k) => expect(v).toBeCloseTo(networkDemandKw(m.network, stepT[k]!, parisLocalParts((bounds[k]! + bounds[k + 1]!) / 2).hourOfWeek), 9));
  });
  it("forecasts the fitted signature at each step's temperature, plus the residual now fading with lead", () => {
    const fit = fitDemand(m, demand, temp, NOW) as DemandFit;
    const bounds = hourly(48);
    const stepT = Array.from({ length: 48 }, (_, k) => -3 + k / 2);
    const how = (t: number) => parisLocalParts(t).hourOfWeek;
    const expectedNow = fittedDemandKw(fit, how(NOW), stepT[0]!);
    const base = { model: m, demandHistory: demand, outdoorTempHistory: temp, nowMs: NOW, stepBoundsMs: bounds, outdoorTempForecastC: stepT };
    const calm = forecastNetworkDemand({ ...base, observedDemandKw: expectedNow });
    expect(calm.source).toBe("learned");
    // No residual now: each step is the fitted demand of the hour(s) it covers, at its own temperature.
    calm.valuesKw.forEach((v, k) => {
      const a = bounds[k]!, b = bounds[k + 1]!, h0 = a - (a % H);
      const expected = ((h0 + H - a) * fittedDemandKw(fit, how(h0), stepT[k]!) + (b - h0 - H) * fittedDemandKw(fit, how(h0 + H), stepT[k]!)) / (b - a);
      expect(v).toBeCloseTo(expected, 6);
    });
    // 300 kW above the fit now: the first step keeps most of it, the last almost none (1 % noise ⇒ short memory).
    const high = forecastNetworkDemand({ ...base, observedDemandKw: expectedNow + 300 });
    expect(high.valuesKw[0]! - calm.valuesKw[0]!).toBeGreaterThan(150);
    expect(Math.abs(high.valuesKw[47]! - calm.valuesKw[47]!)).toBeLessThan(30);
  });
  it("needs one temperature per step", () => {
    expect(() => forecastNetworkDemand({ model: m, demandHistory: demand, outdoorTempHistory: temp, observedDemandKw: 1, nowMs: NOW, stepBoundsMs: hourly(3), outdoorTempForecastC: [1, 2] })).toThrow(/one value per step/);
  });
});

import { describe, expect, it } from "vitest";
import { stepBoundsMs } from "../../optimizer/plan-grid.ts";
import { scoreForecasts, type IssuedForecast } from "./score.ts";

const H = 3_600_000;
const T0 = Date.UTC(2023, 1, 1);
// Actual hourly means: 100, 110, 120, … kW.
const actual = { startMs: T0, values: Float64Array.from({ length: 30 }, (_, i) => 100 + 10 * i) };

describe("forecast scoring", () => {
  it("MAE and bias by lead bucket, skill against the last complete hour held", () => {
    const issuedAtMs = T0 + 2 * H; // last complete hour: 110 kW
    const f: IssuedForecast = { issuedAtMs, stepBoundsMs: stepBoundsMs(issuedAtMs, [3600, 3600, 3600]), valuesKw: [125, 125, 150] };
    const s = scoreForecasts([f], actual, { bucketEdgesH: [0, 1, 3] });
    // Actuals 120, 130, 140: errors +5, −5, +10; persistence errors 10, 20, 30.
    expect(s.buckets[0]).toEqual({ leadFromH: 0, leadToH: 1, hours: 1, maeKw: 5, biasKw: 5, persistenceMaeKw: 10, skill: 0.5 });
    expect(s.buckets[1]).toMatchObject({ hours: 2, maeKw: 7.5, biasKw: 2.5, persistenceMaeKw: 25, skill: 0.7 });
    expect(s.forecastsScored).toBe(1);
  });
  it("uses the observed value at issue when given, and weighs steps by duration", () => {
    const issuedAtMs = T0 + 2 * H;
    const f: IssuedForecast = { issuedAtMs, observedAtIssueKw: 118, stepBoundsMs: stepBoundsMs(issuedAtMs, [900, 900, 1800, 7200]), valuesKw: [120, 120, 120, 140] };
    const s = scoreForecasts([f], actual, { bucketEdgesH: [0, 1, 3] });
    // The quarter-hour steps are judged against their hour's mean (120): no error in the first hour.
    expect(s.buckets[0]).toMatchObject({ hours: 1, maeKw: 0, persistenceMaeKw: 2, skill: 1 });
    // One 2-h step, actual mean 135: error 5, persistence 17.
    expect(s.buckets[1]).toMatchObject({ hours: 2, maeKw: 5, persistenceMaeKw: 17 });
  });
  it("skips steps without an actual and forecasts without a reference, counts them, and stays valid JSON", () => {
    const gappy = { startMs: T0, values: actual.values.map((v, i) => (i === 4 || i === 9 ? NaN : v)) };
    const a: IssuedForecast = { issuedAtMs: T0 + 3 * H, stepBoundsMs: stepBoundsMs(T0 + 3 * H, [3600, 3600, 3600]), valuesKw: [1, 2, 3] };
    const b: IssuedForecast = { issuedAtMs: T0 + 10 * H, stepBoundsMs: stepBoundsMs(T0 + 10 * H, [3600]), valuesKw: [1] };
    const late: IssuedForecast = { issuedAtMs: T0 + 15 * H, observedAtIssueKw: 200, stepBoundsMs: stepBoundsMs(T0 + 15 * H, [3600, 26 * 3600]), valuesKw: [1, 1] };
    const s = scoreForecasts([a, b, late], gappy);
    expect([s.forecastsScored, s.forecastsSkipped, s.stepsWithoutActual, s.stepsBeyondLastEdge]).toEqual([2, 1, 2, 0]);
    expect(s.buckets).toHaveLength(24);
    expect(s.buckets[5]).toMatchObject({ hours: 0, maeKw: null, skill: null });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
  it("refuses bucket edges that do not increase and values that do not match the steps", () => {
    expect(() => scoreForecasts([], actual, { bucketEdgesH: [0, 2, 2] })).toThrow(/increase/);
    expect(() => scoreForecasts([{ issuedAtMs: T0, stepBoundsMs: [T0, T0 + H], valuesKw: [] }], actual)).toThrow(/0 values for 1 steps/);
  });
});

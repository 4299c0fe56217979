import { describe, expect, it } from "vitest";
import { loadModel } from "../../config/plant-model.ts";
import { stepBoundsMs, uniformGrid } from "../../optimizer/plan-grid.ts";
import { createRng } from "../../physics/random.ts";
import type { HourlySeries } from "./hourly.ts";
import { forecastItHeat } from "./it-heat.ts";

const m = loadModel("models/paris-chapelle.yaml");
const H = 3_600_000;

/**
 * Paris local time written out by hand for 2023 (not through paris-time.ts, which the code under test uses):
 * CEST from 26 March 01:00 UTC to 29 October 01:00 UTC.
 */
const CEST_START = Date.UTC(2023, 2, 26, 1), CEST_END = Date.UTC(2023, 9, 29, 1);
function local(utcMs: number): { hour: number; dayOfWeek: number } {
  const offsetH = utcMs >= CEST_START && utcMs < CEST_END ? 2 : 1;
  const d = new Date(utcMs + offsetH * H);
  return { hour: d.getUTCHours(), dayOfWeek: (d.getUTCDay() + 6) % 7 };
}

function series(startMs: number, hours: number, f: (hourStartMs: number, i: number) => number): HourlySeries {
  return { startMs, values: Float64Array.from({ length: hours }, (_, i) => f(startMs + i * H, i)) };
}

const hourly24 = (nowMs: number) => stepBoundsMs(nowMs, uniformGrid(24, 3600));
/** 900 kW plus 10 kW per local hour, plus 50 kW on Sundays: a rhythm only local time explains. */
const rhythm = (t: number) => 900 + 10 * local(t).hour + (local(t).dayOfWeek === 6 ? 50 : 0);

describe("IT heat forecaster: fallback while history is short", () => {
  const now = Date.UTC(2023, 0, 20, 12);
  it("holds the observed value with source 'model' and says why", () => {
    const hist = series(now - 30 * H, 30, () => 905);
    const f = forecastItHeat({ model: m, itHeatHistory: hist, observedItHeatKw: 912, nowMs: now, stepBoundsMs: hourly24(now) });
    expect(f.source).toBe("model");
    expect(f.why).toMatch(/too short.*1\.3 days.*needs 2/);
    expect(f.valuesKw).toEqual(new Array(24).fill(912));
    const blind = forecastItHeat({ model: m, itHeatHistory: hist, observedItHeatKw: NaN, nowMs: now, stepBoundsMs: hourly24(now) });
    expect(blind.valuesKw[0]).toBe(m.it.loadKw * m.it.heatFraction);
  });
  it("learns a daily profile from 2 days and a weekly one from 7", () => {
    const two = forecastItHeat({ model: m, itHeatHistory: series(now - 50 * H, 50, rhythm), observedItHeatKw: 912, nowMs: now, stepBoundsMs: hourly24(now) });
    expect([two.source, two.fit?.profile]).toEqual(["learned", "daily"]);
    const week = forecastItHeat({ model: m, itHeatHistory: series(now - 8 * 24 * H, 8 * 24, rhythm), observedItHeatKw: 912, nowMs: now, stepBoundsMs: hourly24(now) });
    expect(String(week.fit?.profile)).toMatch(/^weekly/);
  });
});

describe("IT heat forecaster: DST weeks map local hours", () => {
  it("a March history forecasts the night the clocks go forward (02:00 local never happens)", () => {
    const now = Date.UTC(2023, 2, 25, 23); // Sunday 26 March, 00:00 CET
    const hist = series(now - 21 * 24 * H, 21 * 24, rhythm);
    const f = forecastItHeat({ model: m, itHeatHistory: hist, observedItHeatKw: rhythm(now), nowMs: now, stepBoundsMs: hourly24(now) });
    const expected = Array.from({ length: 24 }, (_, k) => rhythm(now + k * H));
    expect(expected.slice(0, 4)).toEqual([950, 960, 980, 990]); // 00, 01, 03, 04 local, Sunday
    f.valuesKw.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 6));
  });
  it("a summer-time history forecasts the night the clocks go back (02:00 local twice)", () => {
    const now = Date.UTC(2023, 9, 28, 22); // Sunday 29 October, 00:00 CEST
    const hist = series(now - 21 * 24 * H, 21 * 24, rhythm);
    const f = forecastItHeat({ model: m, itHeatHistory: hist, observedItHeatKw: rhythm(now), nowMs: now, stepBoundsMs: hourly24(now) });
    const expected = Array.from({ length: 24 }, (_, k) => rhythm(now + k * H));
    expect(expected.slice(0, 5)).toEqual([950, 960, 970, 970, 980]);
    f.valuesKw.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 6));
  });
  it("a history spanning the change keeps each weekday's local hours for the week after", () => {
    const now = Date.UTC(2023, 3, 1, 22); // Sunday 2 April, 00:00 CEST; history from 12 March (CET) on
    const hist = series(now - 20 * 24 * H, 20 * 24, rhythm);
    const f = forecastItHeat({ model: m, itHeatHistory: hist, observedItHeatKw: rhythm(now), nowMs: now, stepBoundsMs: hourly24(now) });
    f.valuesKw.forEach((v, k) => expect(v).toBeCloseTo(rhythm(now + k * H), 6));
  });
});

describe("IT heat forecaster: data handling", () => {
  const now = Date.UTC(2023, 1, 15, 9);
  const rng = createRng(11);
  const clean = series(now - 28 * 24 * H, 28 * 24, (t) => rhythm(t) + rng.normal());
  const observedKw = rhythm(now) - 15;
  const args = { model: m, observedItHeatKw: observedKw, nowMs: now, stepBoundsMs: hourly24(now) };

  it("ignores missing hours (NaN) and whole missing days", () => {
    // 30 % of hours and a whole day missing, yet every hour of the week still seen at least once (an hour of the
    // week never seen falls back to its hour of the day, a different, documented answer).
    const gappy: HourlySeries = { startMs: clean.startMs, values: clean.values.map((v, i) => (i % 10 < 3 || (i >= 240 && i < 264) ? NaN : v)) };
    const a = forecastItHeat({ ...args, itHeatHistory: clean });
    const b = forecastItHeat({ ...args, itHeatHistory: gappy });
    expect(b.source).toBe("learned");
    expect(b.valuesKw.every(Number.isFinite)).toBe(true);
    b.valuesKw.forEach((v, k) => expect(Math.abs(v - a.valuesKw[k]!)).toBeLessThan(2.5));
  });
  it("never reads the history at or after now", () => {
    const future = series(clean.startMs, clean.values.length + 48, (_, i) => (i < clean.values.length ? clean.values[i]! : 1e6));
    expect(forecastItHeat({ ...args, itHeatHistory: future }).valuesKw).toEqual(forecastItHeat({ ...args, itHeatHistory: clean }).valuesKw);
  });
  it("starts from the observed value and averages the hourly forecast over longer steps", () => {
    const fine = forecastItHeat({ ...args, itHeatHistory: clean, stepBoundsMs: stepBoundsMs(now, [60, 3540, 3600]) });
    expect(Math.abs(fine.valuesKw[0]! - observedKw)).toBeLessThan(0.5); // the first minute is still the present
    const hourSteps = forecastItHeat({ ...args, itHeatHistory: clean, stepBoundsMs: stepBoundsMs(now, uniformGrid(4, 3600)) }).valuesKw;
    const mixed = forecastItHeat({ ...args, itHeatHistory: clean, stepBoundsMs: stepBoundsMs(now, [900, 900, 900, 900, 3 * 3600]) }).valuesKw;
    expect((mixed[0]! + mixed[1]! + mixed[2]! + mixed[3]!) / 4).toBeCloseTo(hourSteps[0]!, 9);
    expect(mixed[4]!).toBeCloseTo((hourSteps[1]! + hourSteps[2]! + hourSteps[3]!) / 3, 9);
  });
});

import { describe, expect, it } from "vitest";
import { createRng } from "../../physics/random.ts";
import { checkHourly, hourlyMeansOf, meanOverMs } from "./hourly.ts";
import { decayAt, decayFromResiduals, meanDecay, RHO_WHEN_UNMEASURED } from "./decay.ts";
import { fitSlotProfile } from "./profile.ts";

const H = 3_600_000;
const T0 = Date.UTC(2023, 0, 2); // a Monday, 00:00 UTC

describe("hourly series", () => {
  it("hourly means skip NaN samples, mark empty hours NaN and drop a trailing partial hour", () => {
    const v = [1, 2, 3, NaN, NaN, NaN, NaN, NaN, 5, 7, 9, 11, 4];
    const s = hourlyMeansOf(T0, 900, v); // 4 samples per hour
    expect(Array.from(s.values)).toEqual([2, NaN, 8]);
  });
  it("refuses a series off the UTC hour grid", () => {
    expect(() => checkHourly({ startMs: T0 + 60_000, values: new Float64Array(3) }, "x")).toThrow(/UTC hour/);
  });
  it("means over a span weigh partial hours and need full coverage by default", () => {
    const s = { startMs: T0, values: Float64Array.from([10, 20, NaN]) };
    expect(meanOverMs(s, T0 + H / 2, T0 + 2 * H)).toBeCloseTo((10 * 0.5 + 20) / 1.5, 9);
    expect(meanOverMs(s, T0, T0 + 3 * H)).toBeNaN();
    expect(meanOverMs(s, T0, T0 + 3 * H, 0.5)).toBeCloseTo(15, 9);
  });
});

describe("persistence decay", () => {
  it("measures an AR(1)'s memory at each lead, and 'ar1' extrapolates lag 1", () => {
    const rng = createRng(7);
    const r = new Float64Array(5000);
    for (let i = 1; i < r.length; i++) r[i] = 0.8 * r[i - 1]! + rng.normal();
    const acf = decayFromResiduals(r, "acf");
    expect(acf.byLeadH[0]).toBe(1);
    expect(acf.byLeadH[1]!).toBeCloseTo(0.8, 1);
    expect(Math.abs(acf.byLeadH[3]! - 0.512)).toBeLessThan(0.06);
    const ar1 = decayFromResiduals(r, "ar1");
    expect(ar1.byLeadH[10]!).toBeCloseTo(ar1.byLeadH[1]! ** 10, 12);
  });
  it("pairs only consecutive valid hours: every other hour missing leaves lag 1 unmeasured", () => {
    const r = Float64Array.from({ length: 400 }, (_, i) => (i % 2 ? NaN : Math.sin(i)));
    expect(decayFromResiduals(r, "ar1").byLeadH[1]).toBe(RHO_WHEN_UNMEASURED);
  });
  it("a profile that explains everything leaves nothing to persist", () => {
    expect(decayFromResiduals(new Float64Array(200), "acf").byLeadH.slice(1).every((w) => w === 0)).toBe(true);
  });
  it("clamps a negative correlation to 0 rather than flipping the anomaly", () => {
    const r = Float64Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1));
    expect(decayFromResiduals(r).byLeadH[1]).toBe(0);
  });
  it("means over a span are exact for the piecewise-linear weights", () => {
    const d = { byLeadH: [1, 0.5, 0.25] };
    expect(meanDecay(d, 0, 1)).toBeCloseTo(0.75, 12);
    expect(meanDecay(d, 0.5, 1.5)).toBeCloseTo((0.5 * (0.75 + 0.5)) / 2 + (0.5 * (0.5 + 0.375)) / 2, 12);
    expect(decayAt(d, 3)).toBeCloseTo(0.25 * 0.5, 12); // beyond the last lag: falls at the 1-h rate
  });
});

describe("slot profile", () => {
  const weeks = 4;
  const slots = Array.from({ length: weeks * 168 }, (_, i) => i % 168);
  const ones = new Float64Array(slots.length).fill(1);
  it("keeps a clear weekday effect (auto pull ≈ 0) and gives a flat weekly rhythm the daily profile", () => {
    const rng = createRng(3);
    const weekend = slots.map((s) => 100 + (s >= 120 ? 30 : 0) + rng.normal());
    const p = fitSlotProfile(slots, weekend, ones)!;
    expect(p.kind).toBe("weekly");
    expect(p.shrinkWeeks).toBeLessThan(0.1);
    expect(p.values[130]! - p.values[10]!).toBeGreaterThan(28);
    const flat = slots.map((s) => 100 + (s % 24) + 5 * rng.normal());
    const q = fitSlotProfile(slots, flat, ones)!;
    // No weekday effect: each slot is (nearly) its hour of the day, the mean of 28 samples, not of 4.
    expect(q.shrinkWeeks).toBeGreaterThan(5);
    for (let s = 0; s < 168; s++) expect(Math.abs(q.values[s]! - (100 + (s % 24)))).toBeLessThan(3);
  });
  it("is daily below the weekly threshold and absent below the daily one", () => {
    const three = slots.slice(0, 72);
    expect(fitSlotProfile(three, three.map(() => 5), ones)!.kind).toBe("daily");
    expect(fitSlotProfile(slots.slice(0, 40), slots.slice(0, 40), ones)).toBeNull();
  });
});

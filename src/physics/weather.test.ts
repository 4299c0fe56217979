import { describe, expect, it } from "vitest";
import { PARIS_MONTHLY_MEANS_C } from "./demand.ts";
import { parisLocalParts } from "./paris-time.ts";
import { monthlyMeansOf, parisWeatherSpec, syntheticWeather } from "./weather.ts";

const spec = (seed: number, year = 2023) =>
  parisWeatherSpec({ year, monthlyMeansC: PARIS_MONTHLY_MEANS_C, shiftK: 1.5, seed });

describe("syntheticWeather", () => {
  const w1 = syntheticWeather(spec(1));
  const w2 = syntheticWeather(spec(2));

  it("covers every hour of the UTC year (8760, or 8784 in a leap year)", () => {
    expect(w1.startMs).toBe(Date.UTC(2023, 0, 1));
    expect(w1.stepS).toBe(3600);
    expect(w1.tempC).toHaveLength(8760);
    expect(w1.ghiWm2).toHaveLength(8760);
    expect(syntheticWeather(spec(1, 2024)).tempC).toHaveLength(8784);
  });

  it("reproduces the shifted monthly means within 0.3 K for two seeds", () => {
    for (const w of [w1, w2]) {
      const means = monthlyMeansOf(w.startMs, w.tempC);
      means.forEach((m, i) => expect(Math.abs(m - ((PARIS_MONTHLY_MEANS_C[i] ?? NaN) + 1.5))).toBeLessThan(0.3));
    }
  });

  it("is deterministic per seed and differs between seeds", () => {
    const again = syntheticWeather(spec(1));
    expect(Array.from(again.tempC)).toEqual(Array.from(w1.tempC));
    expect(Array.from(again.ghiWm2)).toEqual(Array.from(w1.ghiWm2));
    expect(Array.from(w2.tempC)).not.toEqual(Array.from(w1.tempC));
    expect(Array.from(w2.ghiWm2)).not.toEqual(Array.from(w1.ghiWm2));
  });

  it("gives a plausible annual GHI for Paris (950–1,300 kWh/m²)", () => {
    for (const w of [w1, w2]) {
      const kwhPerM2 = w.ghiWm2.reduce((s, x) => s + x, 0) / 1000;
      expect(kwhPerM2).toBeGreaterThan(950);
      expect(kwhPerM2).toBeLessThan(1300);
    }
  });

  it("has a diurnal cycle: July minimum near sunrise, maximum mid-afternoon local", () => {
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < w1.tempC.length; i++) {
      const p = parisLocalParts(w1.startMs + i * 3_600_000);
      if (p.month === 7) byHour[p.hour] = (byHour[p.hour] ?? 0) + (w1.tempC[i] ?? 0);
    }
    const hottest = byHour.indexOf(Math.max(...byHour));
    const coldest = byHour.indexOf(Math.min(...byHour));
    expect(hottest).toBeGreaterThanOrEqual(14);
    expect(hottest).toBeLessThanOrEqual(17);
    expect(coldest).toBeGreaterThanOrEqual(4);
    expect(coldest).toBeLessThanOrEqual(7);
  });

  it("has no sun at night and none negative", () => {
    expect(Math.min(...w1.ghiWm2)).toBeGreaterThanOrEqual(0);
    // 2023-01-15 00:00 UTC: night.
    expect(w1.ghiWm2[14 * 24]).toBe(0);
  });

  it("applies the shift", () => {
    const cold = syntheticWeather({ ...spec(1), shiftK: 0 });
    const meanWarm = w1.tempC.reduce((s, x) => s + x, 0) / w1.tempC.length;
    const meanCold = cold.tempC.reduce((s, x) => s + x, 0) / cold.tempC.length;
    expect(meanWarm - meanCold).toBeCloseTo(1.5, 2);
  });
});

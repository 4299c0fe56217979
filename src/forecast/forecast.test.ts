import { describe, expect, it } from "vitest";
import { stepMeans } from "./aggregate.ts";
import { withForecastErrors, type Truth } from "./error-model.ts";

function flatTruth(n: number): Truth {
  const c = (v: number) => new Array<number>(n).fill(v);
  return { itHeatKw: c(1000), outdoorTempC: c(5), solarWm2: c(200), priceElEurPerMwh: c(80), dhDemandKw: c(3000) };
}

describe("step means", () => {
  it("averages windows of varying length and holds the last value past the end", () => {
    expect(stepMeans([1, 2, 3, 4, 5, 6], 0, [1, 2, 3])).toEqual([1, 2.5, 5]);
    expect(stepMeans([1, 2, 3, 4], 2, [2, 2])).toEqual([3.5, 4]);
  });
});

describe("forecast errors", () => {
  it("are reproducible for a seed and issue time, and zero for the current step", () => {
    const g = new Array<number>(96).fill(900);
    const a = withForecastErrors(flatTruth(96), g, 1_700_000_000_000, 7);
    const b = withForecastErrors(flatTruth(96), g, 1_700_000_000_000, 7);
    const c = withForecastErrors(flatTruth(96), g, 1_700_000_900_000, 7);
    expect(a).toEqual(b);
    expect(a.outdoorTempC).not.toEqual(c.outdoorTempC);
    expect(a.outdoorTempC[0]).toBe(5);
    expect(a.priceElEurPerMwh.slice(0, 48).every((p) => p === 80)).toBe(true); // day-ahead prices known for 12 h
    expect(a.priceElEurPerMwh.slice(48).some((p) => p !== 80)).toBe(true);
  });

  it("on a move-blocked grid, the fine steps are those of the uniform grid", () => {
    const uniform = withForecastErrors(flatTruth(96), new Array<number>(96).fill(900), 1_700_000_000_000, 7);
    const blockedGrid = [...new Array<number>(16).fill(900), ...new Array<number>(20).fill(3600)];
    const blocked = withForecastErrors(flatTruth(36), blockedGrid, 1_700_000_000_000, 7);
    expect(blocked.outdoorTempC.slice(0, 16)).toEqual(uniform.outdoorTempC.slice(0, 16));
  });

  it("grow with lead time: temperature errors at 20–24 h spread wider than at 1–2 h", () => {
    const g = new Array<number>(96).fill(900);
    const near: number[] = [];
    const far: number[] = [];
    for (let k = 0; k < 400; k++) {
      const e = withForecastErrors(flatTruth(96), g, 1_700_000_000_000 + k * 900_000, 3).outdoorTempC;
      near.push(...e.slice(4, 8).map((x) => x - 5));
      far.push(...e.slice(80, 96).map((x) => x - 5));
    }
    const rms = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
    expect(rms(near)).toBeGreaterThan(0.15);
    expect(rms(near)).toBeLessThan(0.4);
    expect(rms(far)).toBeGreaterThan(1.5);
    expect(rms(far)).toBeLessThan(2.5);
  });
});

import { describe, expect, it } from "vitest";
import { clearSkyGhiWm2, solarElevationRad } from "./solar.ts";

const LAT = 48.86;
const LON = 2.35;
const DEG = Math.PI / 180;

function maxElevationOnDay(dayUtcMs: number): { elevDeg: number; atMs: number } {
  let best = { elevDeg: -90, atMs: dayUtcMs };
  for (let m = 0; m < 1440; m++) {
    const t = dayUtcMs + m * 60_000;
    const e = solarElevationRad(t, LAT, LON) / DEG;
    if (e > best.elevDeg) best = { elevDeg: e, atMs: t };
  }
  return best;
}

describe("solarElevationRad (Paris)", () => {
  it("summer solstice solar noon ≈ 64.7°, near 11:50 UTC", () => {
    const { elevDeg, atMs } = maxElevationOnDay(Date.UTC(2023, 5, 21));
    expect(Math.abs(elevDeg - 64.7)).toBeLessThan(0.5);
    const hourUtc = (atMs - Date.UTC(2023, 5, 21)) / 3_600_000;
    expect(hourUtc).toBeGreaterThan(11.6);
    expect(hourUtc).toBeLessThan(12.0);
  });
  it("winter solstice noon ≈ 17.7°", () => {
    expect(Math.abs(maxElevationOnDay(Date.UTC(2023, 11, 21)).elevDeg - 17.7)).toBeLessThan(0.5);
  });
  it("is negative at midnight", () => {
    expect(solarElevationRad(Date.UTC(2023, 5, 21, 23, 50), LAT, LON)).toBeLessThan(0);
    expect(solarElevationRad(Date.UTC(2023, 0, 15, 0, 0), LAT, LON)).toBeLessThan(0);
  });
});

describe("clearSkyGhiWm2", () => {
  it("June noon in Paris is 800–950 W/m²", () => {
    const ghi = clearSkyGhiWm2(solarElevationRad(Date.UTC(2023, 5, 21, 11, 50), LAT, LON));
    expect(ghi).toBeGreaterThan(800);
    expect(ghi).toBeLessThan(950);
  });
  it("matches the Haurwitz formula and is 0 below the horizon", () => {
    expect(clearSkyGhiWm2(Math.PI / 2)).toBeCloseTo(1098 * Math.exp(-0.057), 9);
    expect(clearSkyGhiWm2(0)).toBe(0);
    expect(clearSkyGhiWm2(-0.2)).toBe(0);
  });
});

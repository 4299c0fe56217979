import { describe, expect, it } from "vitest";
import { dryCoolerCapacityKw, dryCoolerFanKw } from "./dry-cooler.ts";

describe("dry cooler", () => {
  const base = { uaKwPerK: 120, returnTempC: 30, approachK: 5 };
  it("capacity is UA·(Tret − Tout − approach)", () => {
    expect(dryCoolerCapacityKw({ ...base, outdoorTempC: 10 })).toBeCloseTo(120 * 15, 9);
  });
  it("is zero when Tout ≥ Tret − approach", () => {
    expect(dryCoolerCapacityKw({ ...base, outdoorTempC: 25 })).toBe(0);
    expect(dryCoolerCapacityKw({ ...base, outdoorTempC: 35 })).toBe(0);
  });
  it("falls as outdoor temperature rises", () => {
    expect(dryCoolerCapacityKw({ ...base, outdoorTempC: 20 })).toBeLessThan(dryCoolerCapacityKw({ ...base, outdoorTempC: 15 }));
  });
  it("fan power is 2 % of heat rejected by default", () => {
    expect(dryCoolerFanKw(500)).toBeCloseTo(10, 12);
    expect(dryCoolerFanKw(500, 0.03)).toBeCloseTo(15, 12);
    expect(dryCoolerFanKw(-5)).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { KELVIN, logMeanTempK } from "./thermo.ts";

describe("logMeanTempK", () => {
  it("returns the temperature itself when in = out", () => {
    expect(logMeanTempK(50, 50)).toBeCloseTo(50 + KELVIN, 12);
  });
  it("matches the hand-computed log-mean of 30→20 °C", () => {
    // (303.15 − 293.15)/ln(303.15/293.15) = 298.122…
    expect(logMeanTempK(30, 20)).toBeCloseTo(298.1220, 3);
  });
  it("is symmetric and lies between arithmetic bounds", () => {
    const lm = logMeanTempK(85, 50);
    expect(lm).toBeCloseTo(logMeanTempK(50, 85), 12);
    expect(lm).toBeGreaterThan(50 + KELVIN);
    expect(lm).toBeLessThan(67.5 + KELVIN); // log-mean < arithmetic mean
  });
  it("rejects temperatures below absolute zero", () => {
    expect(() => logMeanTempK(-300, 20)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { chillerCapacityKw, chillerElectricityKw } from "./chiller.ts";
import { CHILLER_EER_MAX } from "./heatpump.ts";

describe("chillerCapacityKw", () => {
  const base = { ratedKw: 1000, ratedOutdoorC: 35, derateFracPerK: 0.02 };
  it("is rated up to the rated outdoor temperature", () => {
    expect(chillerCapacityKw({ ...base, outdoorTempC: 20 })).toBe(1000);
    expect(chillerCapacityKw({ ...base, outdoorTempC: 35 })).toBe(1000);
  });
  it("derates linearly above", () => {
    expect(chillerCapacityKw({ ...base, outdoorTempC: 40 })).toBeCloseTo(900, 9);
  });
  it("never goes below zero", () => {
    expect(chillerCapacityKw({ ...base, outdoorTempC: 100 })).toBe(0);
  });
});

describe("chillerElectricityKw", () => {
  it("is heat / EER with cond = outdoor + approach", () => {
    // evap 15 °C, outdoor 30 + 10 ⇒ cond 40 °C: EER = 0.5·288.15/25 = 5.763
    const el = chillerElectricityKw({ heatKw: 1000, etaCarnot: 0.5, evapC: 15, outdoorTempC: 30, condenserApproachK: 10 });
    expect(el).toBeCloseTo(1000 / ((0.5 * 288.15) / 25), 9);
  });
  it("uses the EER cap on cold days", () => {
    const el = chillerElectricityKw({ heatKw: 1500, etaCarnot: 0.5, evapC: 15, outdoorTempC: 0, condenserApproachK: 10 });
    expect(el).toBeCloseTo(1500 / CHILLER_EER_MAX, 9);
  });
  it("is zero for no duty", () => {
    expect(chillerElectricityKw({ heatKw: 0, etaCarnot: 0.5, evapC: 15, outdoorTempC: 30, condenserApproachK: 10 })).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import {
  CHILLER_EER_MAX,
  calibrateEta,
  carnotCop,
  chillerEer,
  heatPumpCop,
  hpElectricityKw,
  hpSourceHeatKw,
  partLoadFactor,
} from "./heatpump.ts";

const kajaani = { sourceInC: 30, sourceOutC: 20, sinkInC: 50, sinkOutC: 85 };

describe("heat pump Carnot-fraction model (DESIGN §2 reference values)", () => {
  it("calibrates η = 0.540 on the Kajaani plant (COP 4.35)", () => {
    expect(Math.abs(calibrateEta(4.35, kajaani) - 0.54)).toBeLessThan(0.005);
  });
  it("gives COP 5.48 at source 27→20, sink 37.5→75 with η 0.54", () => {
    const cop = heatPumpCop(0.54, { sourceInC: 27, sourceOutC: 20, sinkInC: 37.5, sinkOutC: 75 });
    expect(Math.abs(cop - 5.48)).toBeLessThan(0.02);
  });
  it("gives COP 6.20 at source 28→20, sink 40→65 with η 0.54", () => {
    const cop = heatPumpCop(0.54, { sourceInC: 28, sourceOutC: 20, sinkInC: 40, sinkOutC: 65 });
    expect(Math.abs(cop - 6.2)).toBeLessThan(0.02);
  });
  it("calibrateEta inverts heatPumpCop", () => {
    expect(heatPumpCop(calibrateEta(4.35, kajaani), kajaani)).toBeCloseTo(4.35, 12);
    expect(carnotCop(kajaani)).toBeCloseTo(8.06, 2);
  });
  it("throws RangeError when the sink is not above the source", () => {
    expect(() => heatPumpCop(0.5, { sourceInC: 60, sourceOutC: 55, sinkInC: 40, sinkOutC: 50 })).toThrow(RangeError);
    expect(() => carnotCop({ sourceInC: 40, sourceOutC: 40, sinkInC: 40, sinkOutC: 40 })).toThrow(RangeError);
  });
});

describe("partLoadFactor (EN 14825, Cd 0.9)", () => {
  it("matches CR/(Cd·CR + 1 − Cd)", () => {
    expect(partLoadFactor(0.5)).toBeCloseTo(0.5 / 0.55, 12); // 0.909
    expect(partLoadFactor(0.2)).toBeCloseTo(0.2 / 0.28, 12); // 0.714
    expect(partLoadFactor(0.5, 0.75)).toBeCloseTo(0.5 / 0.625, 12); // 0.8
  });
  it("is 1 at and above full load and 0 at or below zero", () => {
    expect(partLoadFactor(1)).toBe(1);
    expect(partLoadFactor(1.3)).toBe(1);
    expect(partLoadFactor(0)).toBe(0);
    expect(partLoadFactor(-0.1)).toBe(0);
  });
  it("is increasing in the capacity ratio", () => {
    expect(partLoadFactor(0.3)).toBeLessThan(partLoadFactor(0.6));
  });
});

describe("heat pump energy split", () => {
  it("heat = electricity + source heat", () => {
    const heatKw = 1000;
    const cop = 5;
    expect(hpElectricityKw(heatKw, cop)).toBeCloseTo(200, 12);
    expect(hpSourceHeatKw(heatKw, cop)).toBeCloseTo(800, 12);
    expect(hpElectricityKw(heatKw, cop) + hpSourceHeatKw(heatKw, cop)).toBeCloseTo(heatKw, 9);
  });
  it("rejects a non-positive COP", () => {
    expect(() => hpElectricityKw(100, 0)).toThrow(RangeError);
  });
});

describe("chillerEer", () => {
  it("is η·Tevap/lift in kelvin", () => {
    // evap 12 °C, cond 40 °C: 0.5·285.15/28 = 5.092
    expect(chillerEer(0.5, 12, 40)).toBeCloseTo((0.5 * 285.15) / 28, 9);
  });
  it("is capped near zero lift and for negative lift", () => {
    expect(chillerEer(0.5, 12, 13)).toBe(CHILLER_EER_MAX);
    expect(chillerEer(0.5, 12, 5)).toBe(CHILLER_EER_MAX);
  });
  it("falls as the condensing temperature rises", () => {
    expect(chillerEer(0.5, 12, 45)).toBeLessThan(chillerEer(0.5, 12, 35));
  });
});

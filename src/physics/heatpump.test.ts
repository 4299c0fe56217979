import { describe, expect, it } from "vitest";
import { logMeanTempK } from "./thermo.ts";
import {
  CHILLER_EER_MAX,
  type HpApproach,
  NO_APPROACH,
  calibrateEta,
  carnotCop,
  chillerEer,
  cycleTempsK,
  heatPumpCop,
  hpElectricityKw,
  hpSourceHeatKw,
  partLoadFactor,
} from "./heatpump.ts";

const kajaani = { sourceInC: 30, sourceOutC: 20, sinkInC: 50, sinkOutC: 85 };
/** Plate exchangers: 2–5 K approach; the shipped models use 3 K on both sides. */
const plate: HpApproach = { evaporatorK: 3, condenserK: 3 };

describe("heat pump Carnot-fraction model, plain log-mean form (DESIGN §2 reference values, zero approach)", () => {
  it("calibrates η = 0.540 on the Kajaani plant (COP 4.35)", () => {
    expect(Math.abs(calibrateEta(4.35, kajaani, NO_APPROACH) - 0.54)).toBeLessThan(0.005);
  });
  it("gives COP 5.48 at source 27→20, sink 37.5→75 with η 0.54", () => {
    const cop = heatPumpCop(0.54, { sourceInC: 27, sourceOutC: 20, sinkInC: 37.5, sinkOutC: 75 }, NO_APPROACH);
    expect(Math.abs(cop - 5.48)).toBeLessThan(0.02);
  });
  it("gives COP 6.20 at source 28→20, sink 40→65 with η 0.54", () => {
    const cop = heatPumpCop(0.54, { sourceInC: 28, sourceOutC: 20, sinkInC: 40, sinkOutC: 65 }, NO_APPROACH);
    expect(Math.abs(cop - 6.2)).toBeLessThan(0.02);
  });
  it("calibrateEta inverts heatPumpCop", () => {
    expect(heatPumpCop(calibrateEta(4.35, kajaani, NO_APPROACH), kajaani, NO_APPROACH)).toBeCloseTo(4.35, 12);
    expect(carnotCop(kajaani, NO_APPROACH)).toBeCloseTo(8.06, 2);
    expect(heatPumpCop(calibrateEta(4.35, kajaani, plate), kajaani, plate)).toBeCloseTo(4.35, 12);
  });
  it("throws RangeError when the sink is not above the source, or for a negative approach", () => {
    expect(() => heatPumpCop(0.5, { sourceInC: 60, sourceOutC: 55, sinkInC: 40, sinkOutC: 50 }, NO_APPROACH)).toThrow(RangeError);
    expect(() => carnotCop({ sourceInC: 40, sourceOutC: 40, sinkInC: 40, sinkOutC: 40 }, NO_APPROACH)).toThrow(RangeError);
    expect(() => carnotCop(kajaani, { evaporatorK: -1, condenserK: 3 })).toThrow(RangeError);
  });
});

describe("heat pump COP with the exchangers' approach temperatures", () => {
  it("moves the cycle temperatures apart: T_evap = source log-mean − 3 K, T_cond = sink log-mean + 3 K", () => {
    // Kajaani: source 30→20 log-mean 298.122 K, sink 50→85 log-mean 339.36 K (thermo.test.ts reference).
    const { evapK, condK } = cycleTempsK(kajaani, plate);
    expect(evapK).toBeCloseTo(298.122 - 3, 2);
    expect(condK).toBeCloseTo(logMeanTempK(50, 85) + 3, 9);
    expect(carnotCop(kajaani, plate)).toBeCloseTo(condK / (condK - evapK), 12);
  });
  it("recalibrates η on Kajaani (COP 4.35) to 0.611 with 3 K approaches", () => {
    expect(calibrateEta(4.35, kajaani, plate)).toBeCloseTo(0.611, 3);
  });
  it("cuts the small-lift COP more than the large-lift one (the campus's 45→35 °C source, 50→75 °C sink)", () => {
    const campus = { sourceInC: 45, sourceOutC: 35, sinkInC: 50, sinkOutC: 75 };
    const before = heatPumpCop(0.54, campus, NO_APPROACH); // η from Kajaani in the plain form: 8.10
    const after = heatPumpCop(calibrateEta(4.35, kajaani, plate), campus, plate); // 7.29
    expect(before).toBeCloseTo(8.1, 2);
    expect(after).toBeCloseTo(7.29, 2);
    // Both reproduce Kajaani; away from its lift the approaches take 10 % off the 22 K-lift COP.
    expect(after / before).toBeLessThan(0.91);
  });

  /**
   * Published machines, predicted with the single η calibrated on Kajaani: within ±10 %.
   * - Drammen (Star Refrigeration, ammonia, 13.2 MW, 2011): fjord water 8 → 4 °C, district water to 90 °C,
   *   "System COP: 3,05 at 90C" (EHPA best-practice page "Drammen District Heating (Norway)"); the return,
   *   65 °C, from the plant's description ("heats district water from 65 °C to 90 °C", Wikipedia "Drammen Heat
   *   Pump"). Model 2.79, −8.5 %.
   * - Oslo Skøyen Vest (Friotherm Unitop 50FY, Viken Fjernvarme, 18 MW, 2006): untreated sewage 9.6 → 5.7 °C,
   *   district water 52 → 90 °C, two thirds of the heat from the sewage, i.e. COP 3.0 (Reuters, A. Doyle,
   *   "Oslo turns to sewage to heat homes", 7 April 2006). Model 3.07, +2.4 %.
   * Not used: Friotherm's Värtan Ropsten sheet (sea 2.5 → 0.5 °C, 57 → 80 °C, 30 MW heat for 8 MW) implies 90 %
   * of Carnot between its own stated evaporating and condensing temperatures, which no vapour-compression cycle
   * reaches: the two figures are not one operating point (this model gives 2.89 there).
   */
  const published = [
    { machine: "Drammen", t: { sourceInC: 8, sourceOutC: 4, sinkInC: 65, sinkOutC: 90 }, cop: 3.05 },
    { machine: "Oslo Skøyen Vest", t: { sourceInC: 9.6, sourceOutC: 5.7, sinkInC: 52, sinkOutC: 90 }, cop: 3.0 },
  ];
  for (const p of published) {
    it(`predicts ${p.machine} (published COP ${p.cop}) within ±10 % with η from Kajaani`, () => {
      const eta = calibrateEta(4.35, kajaani, plate);
      const cop = heatPumpCop(eta, p.t, plate);
      expect(Math.abs(cop / p.cop - 1)).toBeLessThan(0.1);
    });
  }
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

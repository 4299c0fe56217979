import { describe, expect, it } from "vitest";
import {
  type TankSpec,
  cylinderUaKwPerK,
  tankCapacityKwh,
  tankLossKw,
  tankMeanTempC,
  tankStep,
} from "./storage.ts";

// oemof-thermal stratified storage example (DESIGN §2).
const geometry = {
  heightM: 10,
  diameterM: 4,
  insulationThicknessM: 0.05,
  insulationConductivityWPerMK: 0.03,
  innerFilmWPerM2K: 7,
  outerFilmWPerM2K: 25,
};
const uaKwPerK = cylinderUaKwPerK(geometry);
const spec: TankSpec = {
  volumeM3: Math.PI * 2 ** 2 * 10,
  maxTempC: 95,
  returnTempC: 60,
  uaKwPerK,
  ambientTempC: 10,
  densityKgM3: 971.78,
  cpJPerKgK: 4180,
};

describe("tank reference (oemof-thermal example)", () => {
  it("has V 125.7 m³ and 4.96 MWh between 60 and 95 °C", () => {
    expect(spec.volumeM3).toBeCloseTo(125.7, 1);
    expect(tankCapacityKwh(spec) / 1000).toBeCloseTo(4.96, 2);
  });
  it("has U 0.541 W/m²K over A 150.8 m²", () => {
    const areaM2 = Math.PI * 4 * 10 + 2 * Math.PI * 4;
    expect(areaM2).toBeCloseTo(150.8, 1);
    expect((uaKwPerK * 1000) / areaM2).toBeCloseTo(0.541, 3);
  });
  it("loses 6.93 kW when full at 10 °C ambient, ≈ 3.35 %/day", () => {
    const full = tankCapacityKwh(spec);
    expect(tankMeanTempC(spec, full)).toBeCloseTo(95, 9);
    expect(tankLossKw(spec, full)).toBeCloseTo(6.93, 2);
    expect((tankLossKw(spec, full) * 24) / full).toBeCloseTo(0.0335, 4);
  });
});

describe("tankStep", () => {
  const full = tankCapacityKwh(spec);

  function runDay(stepS: number, netChargeKw: number, e0: number): { energyKwh: number; lossKwh: number } {
    let e = e0;
    let loss = 0;
    for (let i = 0; i < 86400 / stepS; i++) {
      const r = tankStep(spec, e, netChargeKw, stepS);
      e = r.energyKwh;
      loss += r.lossKwh;
    }
    return { energyKwh: e, lossKwh: loss };
  }

  it("daily standing loss is independent of the step length (1 min, 15 min, 24 h)", () => {
    const m1 = runDay(60, 0, full);
    const m15 = runDay(900, 0, full);
    const d1 = runDay(86400, 0, full);
    for (const r of [m15, d1]) {
      expect(Math.abs(r.energyKwh - m1.energyKwh) / m1.energyKwh).toBeLessThan(1e-9);
      expect(Math.abs(r.lossKwh - m1.lossKwh) / m1.lossKwh).toBeLessThan(1e-9);
    }
    // Slightly below 6.93 kW · 24 h because the tank cools as it loses heat.
    expect(m1.lossKwh).toBeGreaterThan(160);
    expect(m1.lossKwh).toBeLessThan(6.93 * 24);
  });

  it("is step-independent while charging too", () => {
    const a = runDay(60, 50, 1000);
    const b = runDay(900, 50, 1000);
    expect(Math.abs(a.energyKwh - b.energyKwh) / a.energyKwh).toBeLessThan(1e-9);
  });

  it("closes the energy balance E1 − E0 = P·dt − loss", () => {
    for (const p of [-300, 0, 120, 500]) {
      const r = tankStep(spec, 2500, p, 900);
      expect(r.clippedKwh).toBe(0);
      expect(r.energyKwh - 2500).toBeCloseTo(p * 0.25 - r.lossKwh, 9);
    }
  });

  it("clamps at full and reports the refused charge and the true loss", () => {
    const r = tankStep(spec, full - 10, 1000, 3600);
    expect(r.energyKwh).toBe(full);
    // Reaches full in ≈ 36 s; thereafter the loss runs at the 95 °C rate.
    expect(r.lossKwh).toBeCloseTo(tankLossKw(spec, full), 1);
    expect(r.clippedKwh).toBeGreaterThan(980);
    expect(r.energyKwh - (full - 10)).toBeCloseTo(1000 - r.lossKwh - r.clippedKwh, 9);
  });

  it("clamps at empty and reports the undelivered discharge", () => {
    const r = tankStep(spec, 100, -1000, 3600);
    expect(r.energyKwh).toBe(0);
    expect(r.clippedKwh).toBeLessThan(-850);
    expect(r.energyKwh - 100).toBeCloseTo(-1000 - r.lossKwh - r.clippedKwh, 9);
    // At empty the tank sits at 60 °C and keeps losing UA·(60 − 10).
    expect(r.lossKwh).toBeGreaterThan(uaKwPerK * 50 * 0.9);
  });

  it("keeps the loss rate equal to UA·(T − Tamb) for a tiny step", () => {
    const r = tankStep(spec, 3000, 0, 1);
    expect(r.lossKwh * 3600).toBeCloseTo(tankLossKw(spec, 3000), 5);
  });
});

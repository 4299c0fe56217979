import { describe, expect, it } from "vitest";
import {
  type GreenhouseSpec,
  designLoadKw,
  greenhouseHeatDemandKw,
  greenhouseStep,
} from "./greenhouse.ts";

// 1,200 m² glasshouse: 200 W/m² at ΔT 25 K ⇒ UA = 240 kW / 25 K = 9.6 kW/K.
const spec: GreenhouseSpec = {
  areaM2: 1200,
  uaKwPerK: 9.6,
  capacityKwhPerK: 12,
  solarTransmittance: 0.7,
  ventStartC: 26,
  maxVentKwPerK: 60,
};

function run(stepS: number, totalS: number, p: { tempC: number; heatKw: number; outdoorTempC: number; solarWm2: number }) {
  let t = p.tempC;
  let ventKwh = 0;
  let lossKwh = 0;
  for (let i = 0; i < totalS / stepS; i++) {
    const r = greenhouseStep(spec, { ...p, tempC: t, dtS: stepS });
    t = r.tempC;
    ventKwh += (r.ventKw * stepS) / 3600;
    lossKwh += (r.lossKw * stepS) / 3600;
  }
  return { tempC: t, ventKwh, lossKwh };
}

describe("greenhouse design load (DESIGN §2)", () => {
  it("130–280 W/m² on 1,200 m² ⇒ 156–336 kW", () => {
    expect(designLoadKw(1200, 130)).toBeCloseTo(156, 9);
    expect(designLoadKw(1200, 280)).toBeCloseTo(336, 9);
  });
});

describe("greenhouseStep", () => {
  it("reaches the steady state Tout + (Q + solar)/UA", () => {
    const r = greenhouseStep(spec, { tempC: 5, heatKw: 150, outdoorTempC: 0, solarWm2: 50, dtS: 30 * 86400 });
    const solarKw = (0.7 * 1200 * 50) / 1000; // 42 kW
    expect(r.solarKw).toBeCloseTo(42, 9);
    expect(r.tempC).toBeCloseTo(0 + (150 + solarKw) / 9.6, 6); // 20 °C
    expect(r.ventKw).toBe(0);
  });
  it("is independent of the step length (1 min vs 15 min vs 1 h)", () => {
    const p = { tempC: 12, heatKw: 120, outdoorTempC: 2, solarWm2: 100 };
    const a = run(60, 3 * 3600, p);
    const b = run(900, 3 * 3600, p);
    const c = run(3600, 3 * 3600, p);
    expect(b.tempC).toBeCloseTo(a.tempC, 9);
    expect(c.tempC).toBeCloseTo(a.tempC, 9);
    expect(c.lossKwh).toBeCloseTo(a.lossKwh, 6);
  });
  it("matches the analytic RC response after one time constant", () => {
    // τ = C/UA = 1.25 h; from 10 °C towards 20 °C: 20 − 10·e^−1
    const r = greenhouseStep(spec, { tempC: 10, heatKw: 96, outdoorTempC: 10, solarWm2: 0, dtS: 1.25 * 3600 });
    expect(r.tempC).toBeCloseTo(20 - 10 * Math.exp(-1), 9);
  });
  it("closes the energy balance C·ΔT = (Q + solar − loss − vent)·dt, venting included", () => {
    for (const p of [
      { tempC: 18, heatKw: 0, outdoorTempC: 15, solarWm2: 800 }, // sunny: hits ventStart, holds
      { tempC: 28, heatKw: 0, outdoorTempC: 22, solarWm2: 900 }, // above vent start, full vent
      { tempC: 27, heatKw: 0, outdoorTempC: 30, solarWm2: 700 }, // vents useless until T > Tout
      { tempC: 8, heatKw: 200, outdoorTempC: -5, solarWm2: 0 }, // winter heating
    ]) {
      const dtH = 0.5;
      const r = greenhouseStep(spec, { ...p, dtS: dtH * 3600 });
      const lhs = spec.capacityKwhPerK * (r.tempC - p.tempC);
      const rhs = (p.heatKw + r.solarKw - r.lossKw - r.ventKw) * dtH;
      expect(lhs).toBeCloseTo(rhs, 6);
      expect(r.ventKw).toBeGreaterThanOrEqual(0);
    }
  });
  it("vents hold ventStartC on a sunny day when capacity suffices", () => {
    // Free steady state would be 15 + 504/9.6 = 67.5 °C.
    const r = greenhouseStep(spec, { tempC: 18, heatKw: 0, outdoorTempC: 15, solarWm2: 600, dtS: 3 * 3600 });
    expect(r.tempC).toBeCloseTo(26, 9);
    // Holding at 26 °C: vent = solar − UA·(26 − 15) = 504 − 105.6 = 398.4 kW (after the warm-up).
    const hold = greenhouseStep(spec, { tempC: 26, heatKw: 0, outdoorTempC: 15, solarWm2: 600, dtS: 3600 });
    expect(hold.ventKw).toBeCloseTo(398.4, 6);
  });
  it("vented steps are step-length independent too", () => {
    const p = { tempC: 20, heatKw: 0, outdoorTempC: 24, solarWm2: 850 };
    const a = run(60, 4 * 3600, p);
    const b = run(3600, 4 * 3600, p);
    expect(b.tempC).toBeCloseTo(a.tempC, 6);
    expect(b.ventKwh).toBeCloseTo(a.ventKwh, 4);
    expect(a.tempC).toBeGreaterThan(26); // vents saturate on a hot day
  });
});

describe("greenhouseHeatDemandKw", () => {
  it("returns the heat that lands exactly on target at the end of the step", () => {
    const p = { tempC: 15, outdoorTempC: -2, solarWm2: 0, dtS: 900 };
    const q = greenhouseHeatDemandKw(spec, { ...p, targetC: 18 });
    const r = greenhouseStep(spec, { ...p, heatKw: q });
    expect(r.tempC).toBeCloseTo(18, 9);
  });
  it("holding the steady state needs UA·(T − Tout) − solar", () => {
    const q = greenhouseHeatDemandKw(spec, { tempC: 18, targetC: 18, outdoorTempC: 3, solarWm2: 100, dtS: 900 });
    expect(q).toBeCloseTo(9.6 * 15 - 84, 9);
  });
  it("is zero when the sun alone overshoots", () => {
    expect(greenhouseHeatDemandKw(spec, { tempC: 20, targetC: 20, outdoorTempC: 10, solarWm2: 700, dtS: 900 })).toBe(0);
  });
});


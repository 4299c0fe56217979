import { describe, expect, it } from "vitest";
import {
  type GreenhouseSpec,
  designLoadKw,
  greenhouseCoolingKw,
  greenhouseFogDropK,
  greenhouseHeatDemandKw,
  greenhouseSteady,
  greenhouseStep,
} from "./greenhouse.ts";
import { wetBulbC } from "./psychro.ts";

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


describe("greenhouse summer cooling: transpiration, shading screen, fog", () => {
  // The shipped model's cooling (models/paris-chapelle.yaml): 0.5 kg/(m²·h) of fog water on 1,200 m² = 408.3 kW.
  const fogMaxKw = (0.5 * 1200 * 2450) / 3600;
  const cooled: GreenhouseSpec = {
    ...spec,
    ventStartC: 24,
    transpirationFraction: 0.6,
    shade: { startC: 26, fraction: 0.5 },
    fog: { startC: 27, maxKw: fogMaxKw, efficiency: 0.6, outdoorDewPointC: 14 },
  };
  const balance = (s: GreenhouseSpec, p: { tempC: number; heatKw: number; outdoorTempC: number; solarWm2: number }, dtH: number) => {
    const r = greenhouseStep(s, { ...p, dtS: dtH * 3600 });
    const lhs = s.capacityKwhPerK * (r.tempC - p.tempC);
    const rhs = (p.heatKw + r.solarKw - r.lossKw - r.ventKw - r.shadeKw - r.fogKw) * dtH;
    return { r, lhs, rhs };
  };

  it("transpiration takes its share of the sun off the sensible gain: steady state Tout + (Q + 0.4·τAI)/UA", () => {
    const r = greenhouseStep(cooled, { tempC: 5, heatKw: 150, outdoorTempC: 0, solarWm2: 50, dtS: 30 * 86400 });
    expect(r.solarKw).toBeCloseTo(0.4 * 42, 9); // 16.8 kW of the 42 kW entering heats the air
    expect(r.latentKw).toBeCloseTo(0.6 * 42, 9);
    expect(r.tempC).toBeCloseTo((150 + 16.8) / 9.6, 6); // 17.375 °C
    expect(greenhouseHeatDemandKw(cooled, { tempC: 18, targetC: 18, outdoorTempC: 3, solarWm2: 100, dtS: 900 })).toBeCloseTo(9.6 * 15 - 0.4 * 84, 9);
  });

  it("the screen closes only once the vents are full, and holds its start temperature while it can", () => {
    // Tout 24 °C, 800 W/m²: sensible sun 0.4 × 672 = 268.8 kW. At 26 °C the open vents take (9.6 + 60) × 2 = 139.2 kW,
    // the screen must keep out the other 129.6 kW, within its 0.5 × 268.8 = 134.4 kW.
    const r = greenhouseStep(cooled, { tempC: 26, heatKw: 0, outdoorTempC: 24, solarWm2: 800, dtS: 3600 });
    expect(r.tempC).toBeCloseTo(26, 9);
    expect(r.ventKw).toBeCloseTo(60 * 2, 6);
    expect(r.shadeKw).toBeCloseTo(268.8 - 139.2, 6);
    expect(r.fogKw).toBe(0);
    // A milder day: the vents alone hold 24 °C and the screen stays open.
    const mild = greenhouseStep(cooled, { tempC: 24, heatKw: 0, outdoorTempC: 18, solarWm2: 800, dtS: 3600 });
    expect(mild.tempC).toBeCloseTo(24, 9);
    expect(mild.shadeKw).toBe(0);
  });

  it("fog cools the ventilation air by its efficiency × the wet-bulb depression, capped by the water rate", () => {
    // 39 °C with a 14 °C dew point: wet bulb 22.5 °C (psychro.ts); 0.6 × 16.5 K = 9.9 K > 408.3 kW / 60 kW/K = 6.8 K.
    const wb = wetBulbC({ tempC: 39, dewPointC: 14 });
    expect(wb).toBeCloseTo(22.46, 1);
    expect(greenhouseFogDropK(cooled, 39)).toBeCloseTo(fogMaxKw / 60, 9);
    // Not water-limited when the air is nearly saturated: 20 °C at a 19 °C dew point.
    const humid = { ...cooled, fog: { ...cooled.fog!, outdoorDewPointC: 19 } };
    expect(greenhouseFogDropK(humid, 20)).toBeCloseTo(0.6 * (20 - wetBulbC({ tempC: 20, dewPointC: 19 })), 9);
    // Air at its dew point cannot be cooled by evaporation.
    expect(greenhouseFogDropK(humid, 19)).toBeCloseTo(0, 9);
    // Heatwave noon, 750 W/m²: sensible sun 252 kW, the screen keeps 126 kW out, all stages full. Energy balance at
    // steady state: 0 = 252 − 126 − UA·(T − 39) − 60·(T − 39) − 408.3 ⇒ T = 39 − 282.3/69.6 = 34.94 °C,
    // below the outdoor air, as fogged greenhouses are (5–6 K below in the measurements cited in the model file).
    const steady = 39 + (252 - 126 - fogMaxKw) / (9.6 + 60);
    const r = greenhouseStep(cooled, { tempC: 30, heatKw: 0, outdoorTempC: 39, solarWm2: 750, dtS: 30 * 86400 });
    expect(r.tempC).toBeCloseTo(steady, 6);
    // Held there, the fog removes its full capacity less the heat the open vents now let in from the hotter outside.
    const held = greenhouseStep(cooled, { tempC: steady, heatKw: 0, outdoorTempC: 39, solarWm2: 750, dtS: 3600 });
    expect(held.fogKw).toBeCloseTo(fogMaxKw - 60 * (39 - steady), 6);
    expect(held.ventKw).toBe(0);
    const settled = greenhouseSteady(cooled, { heatKw: 0, outdoorTempC: 39, solarWm2: 750 });
    expect(settled.tempC).toBeCloseTo(steady, 6);
    expect(settled.coolingKw).toBeCloseTo(252 - 9.6 * (steady - 39), 2); // the balance: cooling = sun − UA·(T − Tout)
    expect(greenhouseCoolingKw(cooled, { tempC: steady, outdoorTempC: 39, solarWm2: 750 })).toBeCloseTo(252 - 9.6 * (steady - 39), 6);
    // The same day without the screen and the fog: vents alone, T = 39 + 252/9.6 (vents shut above Tout) = 65 °C.
    const bare = greenhouseStep({ ...cooled, shade: null, fog: null }, { tempC: 30, heatKw: 0, outdoorTempC: 39, solarWm2: 750, dtS: 30 * 86400 });
    expect(bare.tempC).toBeCloseTo(39 + 252 / 69.6, 6);
  });

  it("closes the energy balance through every regime, cooling stages included", () => {
    for (const p of [
      { tempC: 20, heatKw: 0, outdoorTempC: 24, solarWm2: 800 }, // free → vents → screen → fog
      { tempC: 36, heatKw: 0, outdoorTempC: 39, solarWm2: 750 }, // fog falling to its steady state
      { tempC: 27, heatKw: 0, outdoorTempC: 30, solarWm2: 0 }, // night after a hot day: fog holds 27 °C, then off
      { tempC: 8, heatKw: 200, outdoorTempC: -5, solarWm2: 0 }, // winter heating
      { tempC: 33, heatKw: 0, outdoorTempC: 18, solarWm2: 900 }, // above every start with cool air: falls back down
    ]) {
      for (const dtH of [0.25, 2, 8]) {
        const { r, lhs, rhs } = balance(cooled, p, dtH);
        expect(lhs).toBeCloseTo(rhs, 6);
        for (const kw of [r.ventKw, r.shadeKw, r.fogKw]) expect(kw).toBeGreaterThanOrEqual(-1e-9);
      }
    }
  });

  it("is independent of the step length with the whole cascade working (1 min vs 1 h over 6 h)", () => {
    const p = { tempC: 22, heatKw: 0, outdoorTempC: 31, solarWm2: 820 };
    let a = p.tempC;
    let b = p.tempC;
    let fogA = 0;
    let fogB = 0;
    for (let i = 0; i < 360; i++) {
      const r = greenhouseStep(cooled, { ...p, tempC: a, dtS: 60 });
      a = r.tempC;
      fogA += r.fogKw / 60;
    }
    for (let i = 0; i < 6; i++) {
      const r = greenhouseStep(cooled, { ...p, tempC: b, dtS: 3600 });
      b = r.tempC;
      fogB += r.fogKw;
    }
    expect(b).toBeCloseTo(a, 6);
    expect(fogB).toBeCloseTo(fogA, 4);
    expect(fogA).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { loopStep } from "./facility-loop.ts";

describe("loopStep", () => {
  it("heats by (Qin − Qout)·dt/C", () => {
    // 900 kW in, 850 kW out, 20 kWh/K, 1 min: +50/60/20 = +0.041667 K
    const r = loopStep({ supplyTempC: 22, capacityKwhPerK: 20, heatInKw: 900, heatRemovedKw: 850, dtS: 60 });
    expect(r.supplyTempC).toBeCloseTo(22 + 50 / 60 / 20, 12);
  });
  it("closes the energy balance over a day of varying flows", () => {
    let t = 22;
    let netKwh = 0;
    let maxResidual = 0;
    for (let i = 0; i < 1440; i++) {
      const heatInKw = 900 + 30 * Math.sin(i / 50);
      const heatRemovedKw = 900 + 40 * Math.cos(i / 37);
      const r = loopStep({ supplyTempC: t, capacityKwhPerK: 20, heatInKw, heatRemovedKw, dtS: 60 });
      maxResidual = Math.max(maxResidual, Math.abs(r.residualKw));
      netKwh += (heatInKw - heatRemovedKw) / 60;
      t = r.supplyTempC;
    }
    expect(maxResidual).toBeLessThan(1e-6);
    expect(20 * (t - 22)).toBeCloseTo(netKwh, 6);
  });
  it("holds temperature when the removal matches the input", () => {
    const r = loopStep({ supplyTempC: 24, capacityKwhPerK: 20, heatInKw: 900, heatRemovedKw: 900, dtS: 60 });
    expect(r.supplyTempC).toBe(24);
    expect(r.residualKw).toBe(0);
  });
  it("rejects a non-positive capacity or step", () => {
    expect(() => loopStep({ supplyTempC: 24, capacityKwhPerK: 0, heatInKw: 1, heatRemovedKw: 0, dtS: 60 })).toThrow(RangeError);
    expect(() => loopStep({ supplyTempC: 24, capacityKwhPerK: 5, heatInKw: 1, heatRemovedKw: 0, dtS: 0 })).toThrow(RangeError);
  });
});

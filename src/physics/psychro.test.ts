import { describe, expect, it } from "vitest";
import { dewPointFromRhC, saturationVapourPressureKpa, wetBulbC } from "./psychro.ts";

describe("psychrometrics", () => {
  it("saturation vapour pressure: 2.339 kPa at 20 °C, 7.384 kPa at 40 °C (steam tables, ±1 %)", () => {
    expect(Math.abs(saturationVapourPressureKpa(20) / 2.339 - 1)).toBeLessThan(0.01);
    expect(Math.abs(saturationVapourPressureKpa(40) / 7.384 - 1)).toBeLessThan(0.01);
  });
  it("dew point inverts the Magnus form and is the temperature itself at 100 %", () => {
    expect(dewPointFromRhC(25, 100)).toBeCloseTo(25, 9);
    const td = dewPointFromRhC(30, 40);
    expect(saturationVapourPressureKpa(td) / saturationVapourPressureKpa(30)).toBeCloseTo(0.4, 9);
    expect(() => dewPointFromRhC(20, 0)).toThrow(RangeError);
  });
  it("wet bulb of 20 °C air at 50 % RH is 13.7 °C (Stull 2011, J. Appl. Meteor. Climatol. 50:2267, worked example)", () => {
    expect(Math.abs(wetBulbC({ tempC: 20, dewPointC: dewPointFromRhC(20, 50) }) - 13.7)).toBeLessThan(0.2);
  });
  it("lies between the dew point and the dry bulb, equal to both for saturated air", () => {
    expect(wetBulbC({ tempC: 25, dewPointC: 25 })).toBeCloseTo(25, 6);
    expect(wetBulbC({ tempC: 25, dewPointC: 30 })).toBeCloseTo(25, 6); // over-saturated input read as saturated
    const wb = wetBulbC({ tempC: 39, dewPointC: 14 });
    expect(wb).toBeGreaterThan(14);
    expect(wb).toBeLessThan(39);
    expect(wetBulbC({ tempC: 39, dewPointC: 16 })).toBeGreaterThan(wb);
  });
});

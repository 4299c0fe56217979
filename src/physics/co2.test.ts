import { describe, expect, it } from "vitest";
import { DH_AVERAGE_CO2_G_PER_KWH, DH_MARGINAL_GAS_CO2_G_PER_KWH, GRID_CO2_G_PER_KWH, co2AvoidedT } from "./co2.ts";

describe("co2AvoidedT", () => {
  it("1,000 MWh of heat for 200 MWh of electricity at DH average", () => {
    // 1000·116 − 200·32 = 109,600 kg = 109.6 t
    const t = co2AvoidedT({
      heatDisplacedMwh: 1000,
      electricityMwh: 200,
      displacedGPerKwh: DH_AVERAGE_CO2_G_PER_KWH,
      gridGPerKwh: GRID_CO2_G_PER_KWH,
    });
    expect(t).toBeCloseTo(109.6, 9);
  });
  it("marginal gas displaces more", () => {
    const t = co2AvoidedT({ heatDisplacedMwh: 1, electricityMwh: 0, displacedGPerKwh: DH_MARGINAL_GAS_CO2_G_PER_KWH, gridGPerKwh: 32 });
    expect(t).toBeCloseTo(0.25, 12);
  });
  it("is negative when electricity emissions exceed the displaced heat's", () => {
    expect(co2AvoidedT({ heatDisplacedMwh: 1, electricityMwh: 10, displacedGPerKwh: 116, gridGPerKwh: 32 })).toBeLessThan(0);
  });
});

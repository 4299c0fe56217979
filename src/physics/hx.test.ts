import { describe, expect, it } from "vitest";
import { counterflowEffectiveness, hxHeatKw } from "./hx.ts";

describe("counterflowEffectiveness (DESIGN §2)", () => {
  it("NTU 3: 0.75 at Cr 1", () => {
    expect(counterflowEffectiveness(3, 1)).toBeCloseTo(0.75, 12);
  });
  it("NTU 3: 0.874 at Cr 0.5", () => {
    expect(counterflowEffectiveness(3, 0.5)).toBeCloseTo(0.874, 3);
  });
  it("NTU 3, Cr 0 is 1 − e^−3", () => {
    expect(counterflowEffectiveness(3, 0)).toBeCloseTo(1 - Math.exp(-3), 12);
  });
  it("is continuous at Cr → 1", () => {
    expect(counterflowEffectiveness(3, 1 - 1e-6)).toBeCloseTo(0.75, 5);
  });
  it("is 0 for NTU 0", () => {
    expect(counterflowEffectiveness(0, 0.5)).toBe(0);
  });
});

describe("hxHeatKw", () => {
  const base = { uaKwPerK: 60, hotInC: 28, coldInC: 18, hotCapKwPerK: 40, coldCapKwPerK: 20 };
  it("is ε·Cmin·ΔT with NTU = UA/Cmin, Cr = Cmin/Cmax", () => {
    expect(hxHeatKw(base)).toBeCloseTo(counterflowEffectiveness(3, 0.5) * 20 * 10, 9); // 174.8 kW
  });
  it("never exceeds Cmin·ΔT, even with a huge UA", () => {
    for (const ua of [1, 10, 100, 1e4, 1e7]) {
      const q = hxHeatKw({ ...base, uaKwPerK: ua });
      expect(q).toBeLessThanOrEqual(20 * 10 + 1e-9);
      expect(q).toBeGreaterThan(0);
    }
    expect(hxHeatKw({ ...base, uaKwPerK: 1e7 })).toBeCloseTo(200, 6);
  });
  it("outlet temperatures do not cross (second law)", () => {
    const q = hxHeatKw(base);
    const hotOut = base.hotInC - q / base.hotCapKwPerK;
    const coldOut = base.coldInC + q / base.coldCapKwPerK;
    expect(coldOut).toBeLessThanOrEqual(base.hotInC);
    expect(hotOut).toBeGreaterThanOrEqual(base.coldInC);
  });
  it("is zero with no or reverse temperature difference, or no flow", () => {
    expect(hxHeatKw({ ...base, hotInC: 18 })).toBe(0);
    expect(hxHeatKw({ ...base, hotInC: 10 })).toBe(0);
    expect(hxHeatKw({ ...base, coldCapKwPerK: 0 })).toBe(0);
  });
});

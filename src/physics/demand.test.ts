import { describe, expect, it } from "vitest";
import {
  type DemandSpec,
  PARIS_MONTHLY_MEANS_C,
  defaultHourOfWeekFactors,
  degreeDays,
  heatingSignatureKw,
  networkDemandKw,
} from "./demand.ts";

const spec: DemandSpec = { designKw: 4000, designOutdoorC: -5, baseC: 16, hotWaterKw: 500 };

describe("degreeDays (DESIGN §2)", () => {
  it("Paris monthly means, base 16 °C ⇒ 1,968 K·d", () => {
    expect(Math.abs(degreeDays(PARIS_MONTHLY_MEANS_C, 16) - 1968)).toBeLessThanOrEqual(1);
  });
  it("a leap year adds one February day", () => {
    expect(degreeDays(PARIS_MONTHLY_MEANS_C, 16, 2024) - degreeDays(PARIS_MONTHLY_MEANS_C, 16, 2023)).toBeCloseTo(16 - 4.1, 9);
  });
  it("falls by ≈ 1.5 K × heating days when the climate warms", () => {
    const warm = PARIS_MONTHLY_MEANS_C.map((t) => t + 1.5);
    expect(degreeDays(warm, 16)).toBeLessThan(degreeDays(PARIS_MONTHLY_MEANS_C, 16) - 300);
  });
});

describe("heatingSignatureKw", () => {
  it("is design load at the design temperature and zero at or above base", () => {
    expect(heatingSignatureKw(spec, -5)).toBeCloseTo(4000, 9);
    expect(heatingSignatureKw(spec, 16)).toBe(0);
    expect(heatingSignatureKw(spec, 25)).toBe(0);
  });
  it("is linear in between", () => {
    expect(heatingSignatureKw(spec, 5.5)).toBeCloseTo(2000, 9);
  });
});

describe("networkDemandKw", () => {
  it("is (signature + hot water) × the hour-of-week factor", () => {
    const factors = defaultHourOfWeekFactors();
    const s = { ...spec, hourOfWeekFactors: factors };
    expect(networkDemandKw(s, 5.5, 7)).toBeCloseTo(2500 * (factors[7] ?? NaN), 9);
    expect(networkDemandKw(s, 5.5, 7 + 168)).toBeCloseTo(networkDemandKw(s, 5.5, 7), 12);
  });
  it("is flat without factors; summer keeps the hot-water base", () => {
    expect(networkDemandKw(spec, 25, 100)).toBe(500);
  });
});

describe("defaultHourOfWeekFactors", () => {
  const f = defaultHourOfWeekFactors();
  it("has 168 values with mean 1", () => {
    expect(f).toHaveLength(168);
    expect(f.reduce((s, x) => s + x, 0) / 168).toBeCloseTo(1, 12);
  });
  it("has weekday morning and evening peaks above the night setback", () => {
    const mon = (h: number) => f[h] ?? NaN;
    expect(mon(7)).toBeGreaterThan(1.15);
    expect(mon(19)).toBeGreaterThan(1.05);
    expect(mon(3)).toBeLessThan(0.85);
  });
  it("peaks later on weekend mornings", () => {
    const sat = (h: number) => f[5 * 24 + h] ?? NaN;
    expect(sat(7)).toBeLessThan(f[7] ?? NaN);
    expect(sat(9)).toBeGreaterThan(sat(7));
  });
});

import { describe, expect, it } from "vitest";
import { niceStep, niceTicks, timeTicks } from "./ticks.ts";

describe("niceStep", () => {
  it("rounds up to 1, 2, 2.5 or 5 × 10^k", () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(410)).toBe(500);
    expect(niceStep(0.031)).toBe(0.05);
  });
  it("is 1 for degenerate input", () => {
    expect(niceStep(0)).toBe(1);
    expect(niceStep(-3)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });
});

describe("niceTicks", () => {
  it("covers the range with the smallest nice step that fits", () => {
    const s = niceTicks(0, 2870, 7);
    expect(s.step).toBe(500);
    expect(s.ticks).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(s.min).toBe(0);
    expect(s.max).toBe(3000);
  });
  it("handles negative minima", () => {
    const s = niceTicks(-52.2, 183, 7);
    expect(s.ticks).toEqual([-100, -50, 0, 50, 100, 150, 200]);
  });
  it("produces exact decimal ticks (no 0.30000000000000004)", () => {
    const s = niceTicks(0.1, 0.9, 6);
    expect(s.step).toBe(0.2);
    expect(s.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(s.decimals).toBe(1);
    expect(niceTicks(0, 0.75, 4).ticks).toEqual([0, 0.25, 0.5, 0.75]);
  });
  it("never exceeds maxTicks and always contains the data", () => {
    for (const [lo, hi] of [[0, 1], [3.2, 3.9], [-7, 13], [17, 24.5], [0, 9000], [-1e6, 2e6], [1.5, 1.5000001]] as const) {
      for (const max of [3, 5, 6, 8]) {
        const s = niceTicks(lo, hi, max);
        expect(s.ticks.length).toBeLessThanOrEqual(max);
        expect(s.ticks.length).toBeGreaterThanOrEqual(2);
        expect(s.min).toBeLessThanOrEqual(lo);
        expect(s.max).toBeGreaterThanOrEqual(hi);
      }
    }
  });
  it("widens degenerate ranges instead of failing", () => {
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const s = niceTicks(50, 50);
    expect(s.min).toBeLessThan(50);
    expect(s.max).toBeGreaterThan(50);
    const n = niceTicks(Number.NaN, Number.NaN);
    expect(n.ticks.every(Number.isFinite)).toBe(true);
    expect(niceTicks(10, 0).ticks).toEqual(niceTicks(0, 10).ticks);
  });
});

describe("timeTicks", () => {
  it("labels a week with Paris midnights across the spring DST change", () => {
    const t0 = Date.parse("2025-03-23T23:00:00Z"); // Mon 24 Mar 00:00 CET
    const t1 = Date.parse("2025-03-30T22:00:00Z"); // Mon 31 Mar 00:00 CEST
    const ticks = timeTicks(t0, t1, 9);
    expect(ticks.map((t) => t.label)).toEqual(["Mon 24 Mar", "Tue 25 Mar", "Wed 26 Mar", "Thu 27 Mar", "Fri 28 Mar", "Sat 29 Mar", "Sun 30 Mar", "Mon 31 Mar"]);
    expect(ticks[6]?.ms).toBe(Date.parse("2025-03-29T23:00:00Z"));
    expect(ticks[7]?.ms).toBe(Date.parse("2025-03-30T22:00:00Z"));
  });
  it("uses hours with the date under midnight for a day", () => {
    const t0 = Date.parse("2025-07-01T22:00:00Z"); // 2 Jul 00:00 CEST
    const ticks = timeTicks(t0, t0 + 24 * 3_600_000, 9);
    expect(ticks.map((t) => t.label)).toEqual(["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00"]);
    expect(ticks[0]?.sub).toBe("Wed 02 Jul");
    expect(ticks[8]?.sub).toBe("Thu 03 Jul");
  });
  it("uses months for a year", () => {
    const ticks = timeTicks(Date.parse("2024-12-31T23:00:00Z"), Date.parse("2025-12-31T23:00:00Z"), 9);
    expect(ticks.map((t) => t.label)).toEqual(["Jan", "Mar", "May", "Jul", "Sep", "Nov", "Jan"]);
    expect(ticks[0]?.sub).toBe("2025");
    expect(ticks[6]?.sub).toBe("2026");
  });
  it("returns nothing for invalid ranges", () => {
    expect(timeTicks(Number.NaN, 5)).toEqual([]);
    expect(timeTicks(10, 5)).toEqual([]);
  });
});

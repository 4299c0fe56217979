import { describe, expect, it } from "vitest";
import { formatParisDateTime, formatUtcDateTime, parseIsoMs } from "./paris-time.ts";
import { formatMinutes, formatNumber, formatQuantity } from "./format.ts";

describe("Paris time formatting", () => {
  it("formats local and UTC times", () => {
    const ms = Date.parse("2025-03-30T01:00:00Z");
    expect(formatParisDateTime(ms)).toBe("Sun 30 Mar 2025 03:00 CEST");
    expect(formatParisDateTime(ms - 1)).toBe("Sun 30 Mar 2025 01:59 CET");
    expect(formatUtcDateTime(ms)).toBe("2025-03-30 01:00 UTC");
    expect(formatParisDateTime(Number.NaN)).toBe("—");
    expect(parseIsoMs("2025-01-01T00:00:00")).toBe(Date.parse("2025-01-01T00:00:00Z"));
    expect(parseIsoMs("nonsense")).toBeNaN();
  });
});

describe("number formatting", () => {
  it("groups thousands and handles signs and missing values", () => {
    expect(formatNumber(1234567.891, 1)).toBe("1\u202f234\u202f567.9");
    expect(formatNumber(-52.2, 1)).toBe("\u221252.2");
    expect(formatNumber(-0.04, 1)).toBe("0.0");
    expect(formatNumber(999)).toBe("999");
    expect(formatNumber(Number.NaN)).toBe("—");
    expect(formatNumber(null)).toBe("—");
    expect(formatQuantity(2500, "kW")).toBe("2\u202f500\u00a0kW");
    expect(formatQuantity(3.456, "")).toBe("3.46");
    expect(formatMinutes(9120)).toBe("6\u00a0d 8\u00a0h");
    expect(formatMinutes(45)).toBe("45\u00a0min");
  });
});

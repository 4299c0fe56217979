import { describe, expect, it } from "vitest";
import { lastSundayUtcMs, parisLocalParts, parisUtcOffsetMinutes, summerTimeUtcMs } from "./paris-time.ts";

const utc = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe("EU summer-time rule", () => {
  it("finds 01:00 UTC on the last Sundays of March and October", () => {
    expect(iso(lastSundayUtcMs(2025, 2))).toBe("2025-03-30T01:00:00.000Z");
    expect(iso(lastSundayUtcMs(2025, 9))).toBe("2025-10-26T01:00:00.000Z");
    expect(iso(lastSundayUtcMs(2024, 2))).toBe("2024-03-31T01:00:00.000Z");
    expect(summerTimeUtcMs(2019).map(iso)).toEqual(["2019-03-31T01:00:00.000Z", "2019-10-27T01:00:00.000Z"]);
    expect(summerTimeUtcMs(2024).map(iso)).toEqual(["2024-03-31T01:00:00.000Z", "2024-10-27T01:00:00.000Z"]);
    expect(summerTimeUtcMs(2025).map(iso)).toEqual(["2025-03-30T01:00:00.000Z", "2025-10-26T01:00:00.000Z"]);
  });
});

describe("parisUtcOffsetMinutes", () => {
  it("switches to CEST on the last Sunday of March at 01:00 UTC (26 March 2023, 30 March 2025)", () => {
    expect(parisUtcOffsetMinutes(utc("2023-03-26T00:59:59Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2023-03-26T01:00:00Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2025-03-30T00:59:59Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2025-03-30T01:00:00Z"))).toBe(120);
  });
  it("switches back on the last Sunday of October at 01:00 UTC (29 October 2023, 26 October 2025)", () => {
    expect(parisUtcOffsetMinutes(utc("2023-10-29T00:59:59Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2023-10-29T01:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2025-10-26T00:59:59Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2025-10-26T01:00:00Z"))).toBe(60);
  });
  it("is CET in winter and CEST in summer", () => {
    expect(parisUtcOffsetMinutes(utc("2023-01-15T12:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2025-01-15T12:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2023-07-15T12:00:00Z"))).toBe(120);
    // 2024: last Sundays are 31 March and 27 October.
    expect(parisUtcOffsetMinutes(utc("2024-03-31T01:00:00Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2024-03-24T12:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2024-10-27T00:30:00Z"))).toBe(120);
  });
  it("is CET for a non-finite instant", () => {
    expect(parisUtcOffsetMinutes(Number.NaN)).toBe(60);
  });
});

describe("parisLocalParts", () => {
  it("local clock jumps 02:00 → 03:00 on 26 March 2023", () => {
    const before = parisLocalParts(utc("2023-03-26T00:30:00Z"));
    const after = parisLocalParts(utc("2023-03-26T01:30:00Z"));
    expect([before.hour, before.minute]).toEqual([1, 30]);
    expect([after.hour, after.minute]).toEqual([3, 30]);
    expect(after.dayOfWeek).toBe(6); // Sunday
    expect(after.hourOfWeek).toBe(6 * 24 + 3);
  });
  it("local 02:30 occurs twice on 29 October 2023", () => {
    const first = parisLocalParts(utc("2023-10-29T00:30:00Z"));
    const second = parisLocalParts(utc("2023-10-29T01:30:00Z"));
    expect(first.hour).toBe(2);
    expect(second.hour).toBe(2);
    expect([second.year, second.month, second.day]).toEqual([2023, 10, 29]);
  });
  it("handles the year boundary and Monday = 0", () => {
    // 2023-12-31T23:30Z is Monday 1 January 2024 00:30 in Paris.
    const p = parisLocalParts(utc("2023-12-31T23:30:00Z"));
    expect(p).toEqual({ year: 2024, month: 1, day: 1, hour: 0, minute: 30, dayOfWeek: 0, hourOfWeek: 0 });
  });
});

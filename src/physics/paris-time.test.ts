import { describe, expect, it } from "vitest";
import { parisLocalParts, parisUtcOffsetMinutes } from "./paris-time.ts";

const utc = (s: string) => Date.parse(s);

describe("parisUtcOffsetMinutes", () => {
  it("switches to CEST on 26 March 2023 at 01:00 UTC", () => {
    expect(parisUtcOffsetMinutes(utc("2023-03-26T00:59:59Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2023-03-26T01:00:00Z"))).toBe(120);
  });
  it("switches back on 29 October 2023 at 01:00 UTC", () => {
    expect(parisUtcOffsetMinutes(utc("2023-10-29T00:59:59Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2023-10-29T01:00:00Z"))).toBe(60);
  });
  it("is CET in winter and CEST in summer", () => {
    expect(parisUtcOffsetMinutes(utc("2023-01-15T12:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2023-07-15T12:00:00Z"))).toBe(120);
    // 2024: last Sundays are 31 March and 27 October.
    expect(parisUtcOffsetMinutes(utc("2024-03-31T01:00:00Z"))).toBe(120);
    expect(parisUtcOffsetMinutes(utc("2024-03-24T12:00:00Z"))).toBe(60);
    expect(parisUtcOffsetMinutes(utc("2024-10-27T00:30:00Z"))).toBe(120);
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

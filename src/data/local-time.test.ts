import { describe, expect, it } from "vitest";
import { cetLocalToUtcMs, utcToCetParts } from "./local-time.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("cetLocalToUtcMs", () => {
  it("spring 26 March 2023: 02:00–02:59 does not exist", () => {
    expect(iso(cetLocalToUtcMs(2023, 3, 26, 1, 59))).toBe("2023-03-26T00:59:00.000Z");
    expect(cetLocalToUtcMs(2023, 3, 26, 2, 0)).toBeNull();
    expect(cetLocalToUtcMs(2023, 3, 26, 2, 30, "second")).toBeNull();
    expect(iso(cetLocalToUtcMs(2023, 3, 26, 3, 0))).toBe("2023-03-26T01:00:00.000Z");
  });

  it("autumn 29 October 2023: 02:00–02:59 happens twice", () => {
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 1, 59))).toBe("2023-10-28T23:59:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 2, 0))).toBe("2023-10-29T00:00:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 2, 0, "first"))).toBe("2023-10-29T00:00:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 2, 0, "second"))).toBe("2023-10-29T01:00:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 2, 45, "second"))).toBe("2023-10-29T01:45:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 10, 29, 3, 0, "first"))).toBe("2023-10-29T02:00:00.000Z");
  });

  it("occurrence is ignored outside the autumn repeat; winter is UTC+1, summer UTC+2", () => {
    expect(iso(cetLocalToUtcMs(2023, 1, 15, 12, 0, "second"))).toBe("2023-01-15T11:00:00.000Z");
    expect(iso(cetLocalToUtcMs(2023, 7, 1, 12, 0, "second"))).toBe("2023-07-01T10:00:00.000Z");
    expect(iso(cetLocalToUtcMs(2024, 1, 1, 0, 0))).toBe("2023-12-31T23:00:00.000Z");
  });
});

describe("utcToCetParts", () => {
  it("around the 2023 clock changes", () => {
    expect(utcToCetParts(Date.UTC(2023, 2, 26, 0, 59))).toMatchObject({ day: 26, hour: 1, minute: 59, offsetHours: 1 });
    expect(utcToCetParts(Date.UTC(2023, 2, 26, 1, 0))).toMatchObject({ day: 26, hour: 3, minute: 0, offsetHours: 2 });
    expect(utcToCetParts(Date.UTC(2023, 9, 29, 0, 30))).toMatchObject({ hour: 2, minute: 30, offsetHours: 2 });
    expect(utcToCetParts(Date.UTC(2023, 9, 29, 1, 30))).toMatchObject({ hour: 2, minute: 30, offsetHours: 1 });
    expect(utcToCetParts(Date.UTC(2023, 11, 31, 23, 0))).toEqual({ year: 2024, month: 1, day: 1, hour: 0, minute: 0, offsetHours: 1 });
  });

  it("round-trips every hour of 2023 and agrees with the host's Europe/Paris tz data", () => {
    const fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2024, 0, 1); t += 3_600_000) {
      const p = utcToCetParts(t);
      const back = cetLocalToUtcMs(p.year, p.month, p.day, p.hour, p.minute, p.offsetHours === 2 ? "first" : "second");
      expect(back).toBe(t);
      const pad = (n: number) => String(n).padStart(2, "0");
      expect(`${pad(p.day)}/${pad(p.month)}/${p.year}, ${pad(p.hour)}:${pad(p.minute)}`).toBe(fmt.format(t));
    }
  });
});

import { describe, expect, it } from "vitest";
import { loadModel } from "./plant-model.ts";
import { comfortMaxC, comfortMinC } from "./comfort.ts";

const m = loadModel("models/paris-chapelle.yaml");
const campus = loadModel("models/liquid-cooled-campus.yaml");

describe("tomato comfort band from the model, in Paris local time", () => {
  it("night ≥ 17 °C, day 20–24 °C, day from 06:00 to 20:00 local, in winter (CET) and summer (CEST)", () => {
    expect(comfortMinC(m, Date.parse("2026-01-12T04:59:00Z"))).toBe(17); // 05:59 CET
    expect(comfortMinC(m, Date.parse("2026-01-12T05:00:00Z"))).toBe(20); // 06:00 CET
    expect(comfortMinC(m, Date.parse("2026-01-12T18:59:00Z"))).toBe(20); // 19:59 CET
    expect(comfortMinC(m, Date.parse("2026-01-12T19:00:00Z"))).toBe(17); // 20:00 CET
    expect(comfortMinC(m, Date.parse("2026-07-12T04:00:00Z"))).toBe(20); // 06:00 CEST
    expect(comfortMinC(m, Date.parse("2026-07-12T03:59:00Z"))).toBe(17);
    expect(comfortMaxC(m)).toBe(24);
  });
  it("a plant without a greenhouse has no band", () => {
    expect(comfortMinC(campus, 0)).toBeNaN();
    expect(comfortMaxC(campus)).toBeNaN();
  });
});

import { describe, expect, it } from "vitest";
import { parisLocalParts } from "./paris-time.ts";
import { syntheticPrices } from "./prices.ts";

function stats(seed: number, year = 2024, meanEurPerMwh = 58) {
  const p = syntheticPrices({ year, meanEurPerMwh, seed });
  const v = p.priceEurPerMwh;
  let negative = 0;
  let negativeSpringSummer = 0;
  let negativeMidday = 0;
  const jan = { evening: 0, eveningN: 0, night: 0, nightN: 0 };
  for (let i = 0; i < v.length; i++) {
    const x = v[i] ?? NaN;
    const l = parisLocalParts(p.startMs + i * 3_600_000);
    if (x < 0) {
      negative++;
      if (l.month >= 4 && l.month <= 9) negativeSpringSummer++;
      if (l.hour >= 10 && l.hour <= 17) negativeMidday++;
    }
    if (l.month === 1 && l.hour >= 18 && l.hour <= 21) (jan.evening += x), jan.eveningN++;
    if (l.month === 1 && l.hour >= 2 && l.hour <= 5) (jan.night += x), jan.nightN++;
  }
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return { p, mean, negative, negativeSpringSummer, negativeMidday, jan };
}

describe("syntheticPrices", () => {
  const seeds = [1, 2, 3];
  const runs = seeds.map((s) => stats(s));

  it("covers the UTC year hourly", () => {
    const r = runs[0];
    expect(r?.p.startMs).toBe(Date.UTC(2024, 0, 1));
    expect(r?.p.stepS).toBe(3600);
    expect(r?.p.priceEurPerMwh).toHaveLength(8784);
    expect(syntheticPrices({ year: 2023, meanEurPerMwh: 58, seed: 1 }).priceEurPerMwh).toHaveLength(8760);
  });

  it("hits the requested mean within 1 €/MWh", () => {
    for (const r of runs) expect(Math.abs(r.mean - 58)).toBeLessThan(1);
    expect(Math.abs(stats(1, 2023, 95).mean - 95)).toBeLessThan(1);
  });

  it("has a few hundred negative hours, mostly spring/summer middays", () => {
    for (const r of runs) {
      expect(r.negative).toBeGreaterThanOrEqual(100);
      expect(r.negative).toBeLessThanOrEqual(500);
      expect(r.negativeSpringSummer / r.negative).toBeGreaterThan(0.8);
      expect(r.negativeMidday / r.negative).toBeGreaterThan(0.8);
    }
  });

  it("January evening (18–21 h local) is dearer than night (2–5 h)", () => {
    for (const r of runs) {
      expect(r.jan.evening / r.jan.eveningN).toBeGreaterThan(r.jan.night / r.jan.nightN);
    }
  });

  it("is dearer in winter than in summer", () => {
    const { p } = runs[0] ?? stats(1);
    const v = p.priceEurPerMwh;
    const janMean = v.subarray(0, 31 * 24).reduce((s, x) => s + x, 0) / (31 * 24);
    const julStart = (31 + 29 + 31 + 30 + 31 + 30) * 24;
    const julMean = v.subarray(julStart, julStart + 31 * 24).reduce((s, x) => s + x, 0) / (31 * 24);
    expect(janMean).toBeGreaterThan(julMean);
  });

  it("is deterministic per seed and differs between seeds", () => {
    const a = syntheticPrices({ year: 2024, meanEurPerMwh: 58, seed: 1 }).priceEurPerMwh;
    expect(Array.from(a)).toEqual(Array.from(runs[0]?.p.priceEurPerMwh ?? []));
    expect(Array.from(a)).not.toEqual(Array.from(runs[1]?.p.priceEurPerMwh ?? []));
  });
});

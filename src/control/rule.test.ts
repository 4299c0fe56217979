import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { observationAt } from "./observation-fixture.ts";
import { ruleDecide } from "./rule.ts";

const m = loadModel("models/paris-chapelle.yaml");
// 03:00 in Paris on a January night: the greenhouse's night minimum (17 °C) holds.
const NIGHT = Date.UTC(2026, 0, 13, 2);
const PERIOD_S = 900;

describe("the rule baseline, as a competent plant runs without chaleur", () => {
  it("runs heat pumps for the network while electricity is cheap", () => {
    const d = ruleDecide(m, observationAt(m, NIGHT, { priceElEurPerMwh: 40 }), PERIOD_S);
    expect(d.setpoints.hps.some((h) => h.on)).toBe(true);
    expect(d.setpoints.dhSoldKw).toBe(1400);
  });
  it("keeps the greenhouse warm whatever the price: one unit, the best, runs for the boost", () => {
    const obs = observationAt(m, NIGHT, { priceElEurPerMwh: 900, ghTempC: 14, outdoorTempC: -2, ghDirectMaxKw: 20 });
    obs.hps[1]!.cop = 5.8;
    const d = ruleDecide(m, obs, PERIOD_S);
    expect(d.setpoints.ghBoostKw).toBeGreaterThan(0);
    expect(d.setpoints.hps.map((h) => h.on)).toEqual([false, true]);
    expect(d.setpoints.hps[1]!.heatKw).toBeGreaterThanOrEqual(Math.min(m.heatPumps[1]!.heatMinKw, d.setpoints.ghBoostKw));
  });
  it("with its heat pumps off for the network, sells from the store only above half full", () => {
    const cap = m.storage!.capacityKwh;
    const full = ruleDecide(m, observationAt(m, NIGHT, { priceElEurPerMwh: 900, ghTempC: 19, storageEnergyKwh: 0.8 * cap }), PERIOD_S);
    expect(full.setpoints.hps.every((h) => !h.on)).toBe(true);
    expect(full.setpoints.dhSoldKw).toBeCloseTo(Math.min(1400, m.storage!.dischargeMaxKw, (0.3 * cap) / 0.25), 6);
    const half = ruleDecide(m, observationAt(m, NIGHT, { priceElEurPerMwh: 900, ghTempC: 19, storageEnergyKwh: 0.45 * cap }), PERIOD_S);
    expect(half.setpoints.dhSoldKw).toBe(0);
  });
});

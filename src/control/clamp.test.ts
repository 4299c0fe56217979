import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { loadPlcMap } from "../config/plc-schema.ts";
import { clampToMaps, clampToModel, modelMapDisagreements } from "./clamp.ts";

const m = loadModel("models/paris-chapelle.yaml");
const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(`plc/${n}.yaml`));

describe("clamp: model limits, then PLC map limits, each clamp reported", () => {
  it("the shipped model and maps agree; a map with another contract limit is named", () => {
    expect(modelMapDisagreements(m, maps)).toEqual([]);
    const sub = maps[1]!;
    const wider = { ...sub, registers: sub.registers.map((r) => (r.name === "dh_sold_setpoint_kw" ? { ...r, max: 2000 } : r)) };
    expect(modelMapDisagreements(m, [maps[0]!, wider, maps[2]!])).toEqual(["substation dh_sold_setpoint_kw max 2000 kW ≠ model network.contract_max_kw 1500.0 kW"]);
  });

  it("out-of-limit and non-finite setpoints are clamped and reported; values within limits pass untouched", () => {
    const r = clampToModel(m, { hps: [{ id: "hp1", on: true, heatKw: 700 }, { id: "hp2", on: true, heatKw: 300 }], dhSoldKw: Number.NaN, ghDirectKw: -5, ghBoostKw: 100 });
    expect(r.value).toEqual({ hps: [{ id: "hp1", on: true, heatKw: 650 }, { id: "hp2", on: true, heatKw: 300 }], dhSoldKw: 0, ghDirectKw: 0, ghBoostKw: 100 });
    expect(r.clamps).toEqual(["hp1 heat 700.0 → 650.0 kW (model heat_pumps[0].heat_max_kw)", "heat sold NaN → 0.0 kW (model network.contract_max_kw)", "greenhouse direct -5.0 → 0.0 kW (model greenhouse.direct_hx (at 0 °C air))"]);
  });

  it("registers beyond a map's min/max are clamped to them", () => {
    const r = clampToMaps(maps, { dh_sold_setpoint_kw: 1600, controller_mode: 0, gh_boost_setpoint_kw: 250 });
    expect(r.value).toEqual({ dh_sold_setpoint_kw: 1500, controller_mode: 0, gh_boost_setpoint_kw: 250 });
    expect(r.clamps).toEqual(["dh_sold_setpoint_kw 1600.0 → 1500.0 (PLC substation limits 0…1500)"]);
  });
});

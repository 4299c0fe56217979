import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { loadModel, modelFromData } from "./plant-model.ts";
import { rejectCapacityKw, itHeatMaxKw, hotLoopSupplyC } from "../model/plant-model.ts";
import { InputError } from "./errors.ts";

const base = () => parse(readFileSync("models/paris-chapelle.yaml", "utf8")) as Record<string, any>;

function errorOf(data: unknown): InputError {
  try {
    modelFromData(data, "models/x.yaml");
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("plant model loading", () => {
  it("loads both shipped models with derived quantities", () => {
    const m = loadModel("models/paris-chapelle.yaml");
    expect(m.heatPumps.map((h) => h.id)).toEqual(["hp1", "hp2"]);
    expect(m.storage!.tank.volumeM3).toBeCloseTo(100.5, 1);
    expect(m.storage!.capacityKwh).toBeGreaterThan(5000);
    expect(m.greenhouse!.spec.uaKwPerK).toBeCloseTo(9.6, 6); // 1200 m² × 200 W/m² / 25 K
    const c = loadModel("models/liquid-cooled-campus.yaml");
    expect(c.heatPumps).toHaveLength(3);
    expect(c.greenhouse).toBeNull();
  });

  it("carries enough cooling for the IT heat at the design outdoor temperature", () => {
    for (const f of ["models/paris-chapelle.yaml", "models/liquid-cooled-campus.yaml"]) {
      const m = loadModel(f);
      expect(rejectCapacityKw(m, m.coolingDesignOutdoorC)).toBeGreaterThanOrEqual(itHeatMaxKw(m));
    }
  });

  it("rejects a chiller too small for the IT heat at design temperature, naming the field", () => {
    const d = base();
    d.chiller.rated_kw = 500;
    const e = errorOf(d);
    expect(e.field).toBe("chiller.rated_kw");
    expect(e.message).toMatch(/reject the IT heat of 927 kW at the cooling design outdoor temperature 42 °C/);
  });

  it("names the field and the expectation for a wrong type", () => {
    const d = base();
    d.heat_pumps[1].heat_max_kw = "lots";
    const e = errorOf(d);
    expect(e.message).toBe("models/x.yaml: heat_pumps[1].heat_max_kw: expected a number (received string)");
  });

  it("rejects a negative capacity", () => {
    const d = base();
    d.storage.charge_max_kw = -5;
    expect(errorOf(d).message).toBe("models/x.yaml: storage.charge_max_kw: expected a number > 0");
  });

  it("rejects an unknown field (a typo must not be silently ignored)", () => {
    const d = base();
    d.dry_coolers.ua_kw_per_kk = 3;
    const e = errorOf(d);
    expect(e.field).toBe("dry_coolers.ua_kw_per_kk");
    expect(e.message).toMatch(/unknown field/);
  });

  it("reports a missing required field", () => {
    const d = base();
    delete d.facility_water.return_temp_c;
    expect(errorOf(d).message).toBe("models/x.yaml: facility_water.return_temp_c: expected a number (missing)");
  });

  it("rejects duplicate heat-pump ids and physically impossible temperatures", () => {
    const d = base();
    d.heat_pumps[1].id = "hp1";
    expect(errorOf(d).field).toBe("heat_pumps[1].id");
    const e = base();
    e.facility_water.supply_temp_c = 30;
    expect(errorOf(e).field).toBe("facility_water.supply_temp_c");
  });

  it("round-trips through YAML text unchanged", () => {
    const d = base();
    const a = modelFromData(d, "a.yaml");
    const b = modelFromData(parse(stringify(d)), "a.yaml");
    expect(b.storage!.capacityKwh).toBe(a.storage!.capacityKwh);
  });

  it("interpolates the weather-compensation curve and holds it flat outside", () => {
    const m = loadModel("models/paris-chapelle.yaml");
    expect(hotLoopSupplyC(m, -10)).toBe(85);
    expect(hotLoopSupplyC(m, 5)).toBeCloseTo(75, 9);
    expect(hotLoopSupplyC(m, 30)).toBe(65);
  });

  it("reads the heat pumps' approaches and the greenhouse's summer cooling, optional with documented defaults", () => {
    const m = loadModel("models/paris-chapelle.yaml");
    expect(m.heatPumps[0]).toMatchObject({ etaCarnot: 0.611, evaporatorApproachK: 3, condenserApproachK: 3 });
    const s = m.greenhouse!.spec;
    expect(s.transpirationFraction).toBe(0.6);
    expect(s.shade).toEqual({ startC: 26, fraction: 0.5 });
    expect(s.fog!.maxKw).toBeCloseTo((0.5 * 1200 * 2450) / 3600, 9); // water rate × area × latent heat
    // A file without them still loads: 3 K approaches, no transpiration, no screen, no fog.
    const d = base();
    delete d.heat_pumps[0].evaporator_approach_k;
    delete d.heat_pumps[0].condenser_approach_k;
    for (const k of ["transpiration_latent_fraction", "shading_screen", "fog"]) delete d.greenhouse[k];
    const old = modelFromData(d, "models/x.yaml");
    expect(old.heatPumps[0]).toMatchObject({ evaporatorApproachK: 3, condenserApproachK: 3 });
    expect(old.greenhouse!.spec).toMatchObject({ transpirationFraction: 0, shade: null, fog: null });
  });

  it("refuses a screen or fog that would start before the vents, and fog without vents, naming the field", () => {
    const a = base();
    a.greenhouse.shading_screen.start_c = 20;
    expect(errorOf(a).field).toBe("greenhouse.shading_screen.start_c");
    const b = base();
    b.greenhouse.fog.start_c = 22;
    expect(errorOf(b).field).toBe("greenhouse.fog.start_c");
    const c = base();
    c.greenhouse.max_vent_kw_per_k = 0;
    expect(errorOf(c).field).toBe("greenhouse.max_vent_kw_per_k");
    const e = base();
    e.greenhouse.fog.efficiency = 1.5;
    expect(errorOf(e).field).toBe("greenhouse.fog.efficiency");
  });
});

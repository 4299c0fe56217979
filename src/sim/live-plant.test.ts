import { describe, expect, it } from "vitest";
import { loadScenario } from "../config/scenario.ts";
import { buildInputs } from "./inputs.ts";
import { runSimulation } from "./engine.ts";
import { createRuleController } from "../control/rule.ts";
import { createLivePlant, liveScenario } from "./live-plant.ts";
import { loadModel } from "../config/plant-model.ts";
import { measurementCatalogue } from "../io/catalogue.ts";

describe("the live plant", () => {
  it("stepped on demand, follows the offline simulation exactly (same model, same physics)", () => {
    const sc = loadScenario("simulations/paris-winter-week-faults.yaml");
    sc.endMs = sc.startMs + 2 * 86_400_000; // the hp1 trip starts on day 2: include it
    const inputs = buildInputs(sc);
    const offline = runSimulation(sc, inputs, createRuleController(sc.model, sc.control.periodS));
    const live = createLivePlant(sc, inputs);
    const halves = createLivePlant(sc, inputs);
    let maxDiffK = 0;
    const rule = createRuleController(sc.model, sc.control.periodS);
    const fw = offline.columns.get("fw_supply_temp_c")!;
    const gh = offline.columns.get("gh_temp_c")!;
    const hp1 = offline.columns.get("hp1_heat_kw")!;
    let setpoints = rule.decide(live.observation()).setpoints;
    // Drive both with the same decisions: the engine decides every 15 min from observe(); so does this loop.
    const n = inputs.n;
    const liveFw: number[] = [];
    const liveGh: number[] = [];
    const liveHp1: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 15 === 0) setpoints = rule.decide(live.observation()).setpoints;
      live.advanceTo(live.simMs + 60_000, setpoints);
      // The wall clock slices time as it likes: halves of 30 s give the same plant within rounding of the loop.
      halves.advanceTo(halves.simMs + 30_000, setpoints);
      halves.advanceTo(halves.simMs + 30_000, setpoints);
      maxDiffK = Math.max(maxDiffK, Math.abs((halves.measurements().get("gh.temp_c")!.value as number) - (live.measurements().get("gh.temp_c")!.value as number)));
      const m = live.measurements();
      liveFw.push(m.get("dc.fw_supply_temp_c")!.value as number);
      liveGh.push(m.get("gh.temp_c")!.value as number);
      liveHp1.push(m.get("hp1.heat_kw")!.value as number);
    }
    for (let i = 0; i < n; i += 37) {
      expect(liveFw[i]).toBe(fw[i]!);
      expect(liveGh[i]).toBe(gh[i]!);
      expect(liveHp1[i]).toBe(hp1[i]!);
    }
    expect(Math.max(...liveHp1.slice(0, 1440))).toBeGreaterThan(100); // the units did run
    expect(maxDiffK).toBeLessThan(0.01);
  });

  it("serves every catalogue measurement, with the time it was measured", () => {
    const m = loadModel("models/paris-chapelle.yaml");
    const live = createLivePlant(liveScenario(m, Date.UTC(2026, 0, 12), 2, 1));
    live.advanceTo(live.simMs + 600_000, { hps: [], dhSoldKw: 0, ghDirectKw: 0, ghBoostKw: 0 });
    const values = live.measurements();
    for (const spec of measurementCatalogue(m)) {
      const v = values.get(spec.name);
      expect(v, spec.name).toBeDefined();
      expect(v!.sourceMs).toBe(live.simMs);
      if (spec.kind === "boolean") expect(typeof v!.value).toBe("boolean");
      else expect(v!.value as number).toBeGreaterThanOrEqual(spec.min), expect(v!.value as number).toBeLessThanOrEqual(spec.max);
    }
    const f = live.forecasts(24);
    expect(f.series["forecast.outdoor_temp_c"]).toHaveLength(24);
    expect(f.startMs % 3_600_000).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { loadScenario } from "../src/config/scenario.ts";
import { buildInputs } from "../src/sim/inputs.ts";
import { runSimulation } from "../src/sim/engine.ts";
import { createRuleController } from "../src/control/rule.ts";
import { computeKpis } from "../src/report/kpis.ts";

const shipped = readdirSync("simulations").filter((f) => f.endsWith(".yaml") && (f.startsWith("paris-") || f.startsWith("campus-")));

describe("every shipped scenario with the rule controller", () => {
  it("ships the five scenarios the foundation promises", () => {
    expect(shipped).toEqual(expect.arrayContaining(["paris-winter-week.yaml", "paris-summer-heatwave-week.yaml", "paris-year.yaml", "paris-winter-week-faults.yaml", "paris-2023-real.yaml"]));
  });

  for (const file of shipped) {
    it(`${file}: energy balances close and the servers stay cool`, () => {
      const sc = loadScenario(`simulations/${file}`);
      const inputs = buildInputs(sc);
      const res = runSimulation(sc, inputs, createRuleController(sc.model, sc.control.periodS));
      const k = computeKpis(res);
      expect(k.max_balance_residual_kw).toBeLessThanOrEqual(0.001);
      expect(k.cooling_violation_min).toBe(0);
      // Heat in = heat out over the period (the loop ends where it started, within its small thermal mass).
      expect(k.heat_recovered_mwh + k.heat_dumped_mwh).toBeCloseTo(k.heat_it_mwh, 1);
      expect(k.mode_minutes.rule).toBe((inputs.n * inputs.stepS) / 60);
      expect(k.solve_ms_p50).toBeNull();
    });
  }
});

describe("scenario behaviour", () => {
  it("the heatwave derates the dry coolers to nothing and the chiller carries the peak", () => {
    const sc = loadScenario("simulations/paris-summer-heatwave-week.yaml");
    const inputs = buildInputs(sc);
    const res = runSimulation(sc, inputs, createRuleController(sc.model, sc.control.periodS));
    const t = res.columns.get("outdoor_temp_c")!;
    expect(Math.max(...t)).toBeGreaterThanOrEqual(35);
    const chiller = res.columns.get("chiller_kw")!;
    const dump = res.columns.get("dump_kw")!;
    const hottest = t.indexOf(Math.max(...t));
    expect(dump[hottest]).toBe(0);
    expect(chiller[hottest]).toBeGreaterThan(300);
  });

  it("the fault week: hp1 makes no heat while tripped and nothing is sold during the outage", () => {
    const sc = loadScenario("simulations/paris-winter-week-faults.yaml");
    const inputs = buildInputs(sc);
    const res = runSimulation(sc, inputs, createRuleController(sc.model, sc.control.periodS));
    const idx = (iso: string) => (Date.parse(iso) - inputs.startMs) / 60_000;
    const hp1 = res.columns.get("hp1_heat_kw")!;
    for (let i = idx("2026-01-13T06:00:00+01:00"); i < idx("2026-01-13T14:00:00+01:00"); i++) expect(hp1[i]).toBe(0);
    const sold = res.columns.get("dh_sold_kw")!;
    const dump = res.columns.get("dump_kw")!;
    for (let i = idx("2026-01-15T16:00:00+01:00"); i < idx("2026-01-15T22:00:00+01:00"); i++) expect(sold[i]).toBe(0);
    // Once the store is full during the outage, the dry coolers carry the heat.
    expect(dump[idx("2026-01-15T21:59:00+01:00")]).toBeGreaterThan(500);
  });

  it("the real-data year uses the real prices (2023 mean ≈ 96.85 €/MWh) and reports the data flaws", () => {
    const sc = loadScenario("simulations/paris-2023-real.yaml");
    const inputs = buildInputs(sc);
    const p = inputs.priceElEurPerMwh;
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    expect(mean).toBeGreaterThan(96.5);
    expect(mean).toBeLessThan(97.2);
    const notes = inputs.notes.join("\n");
    expect(notes).toMatch(/does not exist|non-existent|nonexistent/i);
    // Each flaw once, its line once; the scenario ends 2024-01-01, so 2024's leap day (a margin year) is no note.
    expect(new Set(inputs.notes).size).toBe(inputs.notes.length);
    expect(notes).not.toMatch(/\(line \d+\)/);
    expect(notes).not.toMatch(/2024 is a leap year/);
  });

  it("a flaw outside the scenario's window is no note of it", () => {
    const sc = loadScenario("simulations/paris-2023-real.yaml");
    const january = { ...sc, startMs: Date.parse("2023-01-09T00:00:00+01:00"), endMs: Date.parse("2023-01-16T00:00:00+01:00") };
    // The price file's March row for the hour that never was concerns no January week.
    expect(buildInputs(january).notes.join("\n")).not.toMatch(/does not exist/);
  });
});

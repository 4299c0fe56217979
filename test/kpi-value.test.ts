import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../src/config/scenario.ts";
import { simulateScenario, type RunOutputs } from "../src/sim/run.ts";
import { energyClosure } from "../src/report/closure.ts";
import { buildInputs } from "../src/sim/inputs.ts";
import { runSimulation } from "../src/sim/engine.ts";
import { createRuleController } from "../src/control/rule.ts";
import { computeKpis } from "../src/report/kpis.ts";
import { buildReportInput } from "../src/report/run-report.ts";

/**
 * `value_eur` recomputed from timeseries.csv and the model's prices alone (not from the KPI code's sums), and the
 * energy closure shown to see heat made from nothing.
 */
let dir: string;
let run: RunOutputs;
const sc = loadScenario("simulations/paris-winter-week.yaml");
const m = sc.model;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-kpi-"));
  run = await simulateScenario(sc, "rule", dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readCsv(file: string): { cols: string[]; rows: string[][] } {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  return { cols: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

describe("value_eur", () => {
  it("is net value − priced discomfort + the store's change valued at the sale price × efficiency, from timeseries.csv", () => {
    const { cols, rows } = readCsv(run.files.timeseries);
    const v = (r: string[], name: string) => {
      const k = cols.indexOf(name);
      return k < 0 ? 0 : Number(r[k]);
    };
    const dtH = (Date.parse(rows[1]![0]!) - Date.parse(rows[0]![0]!)) / 3_600_000;
    const e = m.economics;
    let revenue = 0;
    let elecCost = 0;
    let starts = 0;
    let discomfortKh = 0;
    const wasOn = m.heatPumps.map(() => false);
    for (const r of rows) {
      revenue += (v(r, "dh_sold_kw") * e.heatSaleEurPerMwh + (v(r, "gh_direct_kw") + v(r, "gh_boost_kw")) * e.greenhouseHeatEurPerMwh) * dtH / 1000;
      const elecKw = m.heatPumps.reduce((a, h) => a + v(r, `${h.id}_elec_kw`), 0) + v(r, "chiller_elec_kw") + v(r, "dump_fan_elec_kw");
      elecCost += ((elecKw * dtH) / 1000) * (v(r, "price_el_eur_mwh") + e.gridFeeEurPerMwh);
      m.heatPumps.forEach((h, k) => {
        const on = v(r, `${h.id}_heat_kw`) > 0;
        if (on && !wasOn[k]) starts += h.startCostEur;
        wasOn[k] = on;
      });
      // The band at the step's end, in Paris time (models/paris-chapelle.yaml: ≥ 17 °C at night, 20–24 °C from 06:00 to 20:00).
      const end = new Date(Date.parse(r[0]!) + dtH * 3_600_000);
      const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", hourCycle: "h23" }).format(end));
      const g = m.greenhouse!.comfort;
      const lo = hour >= g.dayStartHour && hour < g.dayEndHour ? g.dayMinC : g.nightMinC;
      const T = v(r, "gh_temp_c");
      discomfortKh += (Math.max(0, lo - T) + Math.max(0, T - g.dayMaxC)) * dtH;
    }
    const storeChange = ((v(rows.at(-1)!, "storage_energy_kwh") - m.storage!.initialEnergyKwh) / 1000) * e.heatSaleEurPerMwh * m.storage!.efficiency;
    const value = revenue - elecCost - starts - discomfortKh * e.comfortPenaltyEurPerKh + storeChange;
    const k = run.kpis;
    expect(k.storage_start_kwh).toBeCloseTo(m.storage!.initialEnergyKwh, 1);
    expect(k.storage_change_value_eur).toBeCloseTo(storeChange, 1);
    // The CSV holds values to a few decimals: within a euro of 2,800.
    expect(Math.abs(k.value_eur - value)).toBeLessThan(1);
    expect(Math.abs(k.net_value_eur - (revenue - elecCost - starts))).toBeLessThan(1);
    // The rule baseline empties the store this week: what net value alone hides.
    expect(k.storage_change_value_eur).toBeLessThan(-50);
  });
});

describe("energy closure from independent quantities", () => {
  const closure = (cols: Map<string, Float64Array>) =>
    energyClosure({ model: m, columns: cols, n: run.result.inputs.n, stepS: run.result.inputs.stepS, fwSupplyStartC: m.facilityWater.supplyTempC, storageStartKwh: m.storage!.initialEnergyKwh });
  it("closes on a real run (to float rounding)", () => {
    const c = closure(run.result.columns);
    expect(c.maxResidualKw).toBeLessThan(1e-6);
    expect(run.kpis.max_balance_residual_kw).toBe(0);
  });
  it("sees heat made from nothing: 10.8 MWh more heat-pump output over a day shows in the facility and hot-loop balances", () => {
    const cols = new Map([...run.result.columns].map(([k, a]) => [k, Float64Array.from(a)]));
    const hp1 = cols.get("hp1_heat_kw")!;
    const steps = (24 * 3600) / run.result.inputs.stepS;
    for (let i = 0; i < steps; i++) hp1[1000 + i]! += 450; // 450 kW × 24 h = 10.8 MWh
    const c = closure(cols);
    expect(c.maxResidualKw).toBeCloseTo(450, 6);
    expect(c.hotLoopKwh).toBeCloseTo(10_800, 3);
    expect(c.facilityKwh).toBeCloseTo(-10_800, 3);
  });
  it("sees a store that gains energy it was not given", () => {
    const cols = new Map([...run.result.columns].map(([k, a]) => [k, Float64Array.from(a)]));
    const e = cols.get("storage_energy_kwh")!;
    for (let i = 5000; i < e.length; i++) e[i]! += 100;
    const c = closure(cols);
    expect(c.worst?.balance).toBe("store");
    expect(c.storeKwh).toBeCloseTo(100, 6);
  });
});

describe("the report's Sankey", () => {
  it("carries all the electricity of the KPI (heat pumps, chiller, dry-cooler fans)", () => {
    const hw = loadScenario("simulations/paris-summer-heatwave-week.yaml");
    const res = runSimulation(hw, buildInputs(hw), createRuleController(hw.model, hw.control.periodS));
    const k = computeKpis(res);
    const flows = buildReportInput(res, k).flows.filter((f) => f.from === "Electricity");
    expect(flows.map((f) => f.to).sort()).toEqual(["Chiller", "Dry coolers", "Heat pumps"]);
    expect(flows.reduce((a, f) => a + f.energyMwh, 0)).toBeCloseTo(k.electricity_mwh, 2);
  });
});

describe("hours above the crop's damage temperature", () => {
  it("are counted from gh_temp_c and noted in the report when there are any", () => {
    const hw = loadScenario("simulations/paris-summer-heatwave-week.yaml");
    const res = runSimulation(hw, buildInputs(hw), createRuleController(hw.model, hw.control.periodS));
    const k = computeKpis(res);
    const t = res.columns.get("gh_temp_c")!;
    const above = t.filter((x) => x > hw.model.greenhouse!.comfort.damageC).length * (res.inputs.stepS / 3600);
    expect(k.greenhouse_above_damage_h).toBeCloseTo(above, 2);
    expect(k.greenhouse_above_damage_h).toBeGreaterThan(10);
    expect(k.greenhouse_max_temp_c).toBeCloseTo(Math.max(...t), 2);
    expect(buildReportInput(res, k).notes.some((n) => n.startsWith(`The greenhouse was above the crop's damage temperature (29 °C) for ${k.greenhouse_above_damage_h} h`))).toBe(true);
    // The winter week never gets there, and says nothing.
    expect(run.kpis.greenhouse_above_damage_h).toBe(0);
    expect(buildReportInput(run.result, run.kpis).notes.some((n) => n.includes("damage temperature"))).toBe(false);
  });
});

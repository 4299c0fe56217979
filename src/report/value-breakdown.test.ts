import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../config/scenario.ts";
import { simulateScenario, type RunOutputs } from "../sim/run.ts";
import { parseTimeseriesCsv, USES, valueBreakdown, type Timeseries } from "./value-breakdown.ts";
import { runInfoProblem, type RunEconomics, type RunInfo } from "./run-info.ts";

/** The breakdown against kpis.json of a real run: rule on the winter week, simulated here (about 2 s). */
let dir: string;
let run: RunOutputs;
let info: RunInfo;
let ts: Timeseries;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-breakdown-"));
  run = await simulateScenario(loadScenario("simulations/paris-winter-week.yaml"), "rule", dir, { sets: ["prices.mean_eur_per_mwh=58"] });
  info = JSON.parse(readFileSync(run.files.run, "utf8")) as RunInfo;
  ts = parseTimeseriesCsv(readFileSync(run.files.timeseries, "utf8"), run.files.timeseries);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("run.json", () => {
  it("names the run and carries the economics value_eur is built with", () => {
    expect(runInfoProblem(info)).toBeNull();
    expect(info.scenario).toMatchObject({ name: "Paris winter week", file: "simulations/paris-winter-week.yaml" });
    expect(info.controller).toBe("rule");
    expect(info.sets).toEqual(["prices.mean_eur_per_mwh=58"]);
    expect(info.model.name).toBe("Paris Chapelle International data centre");
    expect(info.chaleur_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.economics).toMatchObject({ heat_sale_eur_per_mwh: 35, greenhouse_heat_eur_per_mwh: 25, grid_fee_eur_per_mwh: 40, comfort_penalty_eur_per_kh: 50, start_cost_eur: { hp1: 8, hp2: 8 } });
    expect(info.economics.storage!.efficiency).toBe(0.99);
    expect(info.economics.storage!.start_kwh).toBeCloseTo(run.kpis.storage_start_kwh, 1);
    expect(info.economics.comfort).toEqual({ night_min_c: 17, day_min_c: 20, day_max_c: 24, day_start_hour: 6, day_end_hour: 20 });
  });
  it("is refused with the field when it cannot value a run", () => {
    expect(runInfoProblem({ ...info, economics: { ...info.economics, grid_fee_eur_per_mwh: "40" } })).toEqual({ field: "economics.grid_fee_eur_per_mwh", expected: "a number" });
    expect(runInfoProblem([])?.field).toBe("");
  });
});

describe("valueBreakdown on a real run", () => {
  it("adds up to kpis.json value_eur within 1 €, by use and by day", () => {
    const b = valueBreakdown(ts, info.economics);
    const k = run.kpis;
    expect(Math.abs(b.totalEur - k.value_eur)).toBeLessThan(1);
    // Each use against the KPI it belongs to.
    expect(b.byUse.network_sale).toBeCloseTo(k.heat_sold_mwh * 35, 0);
    expect(b.byUse.greenhouse_heat).toBeCloseTo(k.heat_greenhouse_mwh * 25, 0);
    expect(Math.abs(b.byUse.hp_electricity + b.byUse.chiller_electricity + b.byUse.fan_electricity + k.electricity_cost_eur)).toBeLessThan(1);
    expect(b.byUse.starts).toBe(-k.start_cost_eur);
    expect(b.starts).toBe(k.hp_starts);
    expect(Math.abs(b.byUse.comfort_penalty + k.comfort_penalty_eur)).toBeLessThan(0.5);
    expect(b.byUse.store_change).toBeCloseTo(k.storage_change_value_eur, 1);
    // A January week from Monday 00:00 Paris time: seven Paris days, each adding up to its own total.
    expect(b.days.map((d) => d.date)).toEqual(["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17", "2026-01-18"]);
    expect(b.days[0]!.label).toBe("Mon 12 Jan");
    for (const d of b.days) expect(d.totalEur).toBeCloseTo(USES.reduce((a, u) => a + d.byUse[u.key], 0), 9);
    expect(b.days.reduce((a, d) => a + d.totalEur, 0)).toBeCloseTo(b.totalEur, 6);
  });
});

describe("valueBreakdown by hand", () => {
  const economics: RunEconomics = {
    heat_sale_eur_per_mwh: 40,
    greenhouse_heat_eur_per_mwh: 20,
    grid_fee_eur_per_mwh: 10,
    comfort_penalty_eur_per_kh: 100,
    start_cost_eur: { hp1: 5 },
    storage: { efficiency: 0.5, start_kwh: 1000 },
    comfort: { night_min_c: 17, day_min_c: 20, day_max_c: 24, day_start_hour: 6, day_end_hour: 20 },
  };
  // Four 30-min steps across Paris midnight in winter (23:00 UTC): two on the 12th, two on the 13th.
  const csv = [
    "time,hp1_heat_kw,hp1_elec_kw,dh_sold_kw,gh_direct_kw,gh_boost_kw,gh_temp_c,storage_energy_kwh,dump_fan_elec_kw,chiller_elec_kw,price_el_eur_mwh,mode",
    "2026-01-12T22:00:00Z,0,0,1000,0,0,17,1000,0,0,50,rule",
    "2026-01-12T22:30:00Z,400,100,1000,200,0,16,1200,0,0,50,rule",
    "2026-01-12T23:00:00Z,0,0,0,0,0,17,1100,20,0,-10,rule",
    "2026-01-12T23:30:00Z,400,100,0,0,0,18,1300,0,40,90,rule",
  ].join("\n");
  it("puts each step in its Paris day and each € in one use", () => {
    const b = valueBreakdown(parseTimeseriesCsv(csv, "t.csv"), economics);
    const [d1, d2] = b.days;
    expect(b.days.map((d) => d.date)).toEqual(["2026-01-12", "2026-01-13"]);
    // Day 1: 2 × 1 MW × 0.5 h sold at 40; 0.1 MWh to the greenhouse at 20; 0.05 MWh of heat-pump electricity at 60;
    // one start; 1 K below the night minimum for 0.5 h at 100 €/K·h; store +200 kWh × 40 × 0.5.
    expect(d1!.byUse).toEqual({ network_sale: 40, greenhouse_heat: 2, hp_electricity: -3, chiller_electricity: 0, fan_electricity: 0, starts: -5, comfort_penalty: -50, store_change: 4 });
    // Day 2: fans 0.01 MWh at 0 €/MWh (−10 + 10), chiller 0.02 MWh at 100, the heat pump again at 100, a second
    // start (it was off the step before), the store from 1,200 to 1,300 kWh.
    expect(d2!.byUse.fan_electricity).toBeCloseTo(0, 12);
    expect(d2!.byUse).toMatchObject({ network_sale: 0, chiller_electricity: -2, hp_electricity: -5, starts: -5, comfort_penalty: 0, store_change: 2 });
    expect(b.starts).toBe(2);
    expect(b.byUse.store_change).toBe(((1300 - 1000) / 1000) * 40 * 0.5);
    expect(b.totalEur).toBeCloseTo(d1!.totalEur + d2!.totalEur, 12);
  });
  it("values nothing it has no price for: no greenhouse, no store", () => {
    const b = valueBreakdown(parseTimeseriesCsv(csv, "t.csv"), { ...economics, storage: null, comfort: null });
    expect(b.byUse.store_change).toBe(0);
    expect(b.byUse.comfort_penalty).toBe(0);
  });
});

describe("parseTimeseriesCsv", () => {
  const head = "time,dh_sold_kw,mode";
  it("refuses what chaleur simulate does not write, naming the file and line", () => {
    expect(() => parseTimeseriesCsv("a,b\n1,2\n", "x.csv")).toThrow(/^x\.csv: header: expected timeseries\.csv/);
    expect(() => parseTimeseriesCsv(`${head}\n`, "x.csv")).toThrow("x.csv: expected at least one row of data");
    expect(() => parseTimeseriesCsv(`${head}\n2026-01-12T22:00:00Z,1,rule\n2026-01-12T22:01:00Z,abc,rule\n`, "x.csv")).toThrow("x.csv: line 3 column 'dh_sold_kw': expected a number (got 'abc')");
    expect(() => parseTimeseriesCsv(`${head}\n2026-01-12T22:00:00Z,1\n`, "x.csv")).toThrow("x.csv: line 2: expected 3 cells");
    expect(() => parseTimeseriesCsv(`${head}\n2026-01-12 22:00,1,rule\n`, "x.csv")).toThrow("x.csv: line 2 column 'time'");
    expect(() => parseTimeseriesCsv(`${head}\n2026-01-12T22:00:00Z,1,rule\n2026-01-12T22:01:00Z,1,rule\n2026-01-12T22:03:00Z,1,rule\n`, "x.csv")).toThrow("x.csv: line 4 column 'time': expected rows 60 s apart");
  });
  it("reads the step, keeps mode out and takes an empty cell as no value", () => {
    const t = parseTimeseriesCsv(`${head}\r\n2026-01-12T22:00:00Z,1.5,rule\r\n2026-01-12T22:15:00Z,,held\r\n`, "x.csv");
    expect(t.stepS).toBe(900);
    expect([...t.columns.keys()]).toEqual(["dh_sold_kw"]);
    expect(Number.isNaN(t.columns.get("dh_sold_kw")![1]!)).toBe(true);
    expect(parseTimeseriesCsv(`${head}\n2026-01-12T22:00:00Z,1,rule\n`, "x.csv", 60).stepS).toBe(60);
  });
});

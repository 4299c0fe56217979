import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
function chaleur(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
const model = readFileSync(join(root, "models/paris-chapelle.yaml"), "utf8");
function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-cli-"));
});

/** A bad file must give exit 2 and exactly one line naming file, field and expectation; never a stack trace. */
function expectOneLineError(r: ReturnType<typeof chaleur>, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.err.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe("chaleur validate: bad files", () => {
  it("accepts the shipped models, scenarios, register maps and wire config", () => {
    for (const f of ["models/paris-chapelle.yaml", "models/liquid-cooled-campus.yaml", "simulations/paris-year.yaml", "simulations/paris-2023-real.yaml", "plc/heat-pumps.yaml", "config/chaleur-demo.yaml"]) {
      const r = chaleur("validate", f);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toBe("");
      expect(r.out).toMatch(/valid (plant model|scenario|register map|wire config|daemon config)/);
    }
  });

  it("a wire config pointing at a register map that does not exist", () => {
    const demo = readFileSync(join(root, "config/chaleur-demo.yaml"), "utf8").replace("../data/demo", join(dir, "data")).replaceAll("../plc/", join(root, "plc") + "/").replace("../models/", join(root, "models") + "/");
    const w = write("wire.yaml", demo.replace("substation.yaml", "nowhere.yaml"));
    expectOneLineError(chaleur("validate", w), /plc\/nowhere\.yaml: expected an existing readable file/);
  });

  it("wrong type", () => {
    const f = write("wrong-type.yaml", model.replace("load_kw: 1000 ", "load_kw: lots "));
    expectOneLineError(chaleur("validate", f), /wrong-type\.yaml: it\.load_kw: expected a number \(received string\)$/);
  });

  it("negative capacity", () => {
    const f = write("negative.yaml", model.replace("heat_max_kw: 650       # (assumed)", "heat_max_kw: -650       # (assumed)"));
    expectOneLineError(chaleur("validate", f), /negative\.yaml: heat_pumps\[0\]\.heat_max_kw: expected a number > 0$/);
  });

  it("unknown field", () => {
    const f = write("unknown.yaml", model.replace("  approach_k: 3 ", "  aproach_k: 3 "));
    expectOneLineError(chaleur("validate", f), /unknown\.yaml: dry_coolers\.aproach_k: expected no such field/);
  });

  it("missing file", () => {
    expectOneLineError(chaleur("validate", join(dir, "absent.yaml")), /absent\.yaml: expected an existing readable file/);
  });

  it("cooling capacity below the IT heat at the design outdoor temperature", () => {
    const f = write("weak-cooling.yaml", model.replace("rated_kw: 1100 ", "rated_kw: 600 "));
    expectOneLineError(chaleur("validate", f), /weak-cooling\.yaml: chiller\.rated_kw: expected dry coolers \+ chiller able to reject the IT heat of 927 kW/);
  });

  it("malformed YAML", () => {
    const f = write("malformed.yaml", "name: x\nit: {load_kw: 1000\nfacility_water: 3\n");
    expectOneLineError(chaleur("validate", f), /malformed\.yaml: line \d+: expected valid YAML/);
  });

  it("a scenario pointing at a model that does not exist, and one with a bad date", () => {
    const s1 = write("s1.yaml", "name: s\nmodel: nowhere.yaml\nstart: 2026-01-01T00:00:00Z\nduration: P1D\n");
    expectOneLineError(chaleur("validate", s1), /s1\.yaml: model: expected an existing file, relative to this scenario's folder \('nowhere\.yaml' is .*nowhere\.yaml, which does not exist\)/);
    const s2 = write("s2.yaml", `name: s\nmodel: ${join(root, "models/paris-chapelle.yaml")}\nstart: 2026-01-01 00:00\nduration: P1D\n`);
    expectOneLineError(chaleur("validate", s2), /s2\.yaml: start: expected an ISO 8601 time with offset/);
  });

  it("an event naming a heat pump the model does not have", () => {
    const s = write("s3.yaml", `name: s\nmodel: ${join(root, "models/paris-chapelle.yaml")}\nstart: 2026-01-01T00:00:00Z\nduration: P1D\nevents:\n  - { type: hp_trip, unit: hp9, start: 2026-01-01T06:00:00Z, duration: PT1H }\n`);
    expectOneLineError(chaleur("validate", s), /s3\.yaml: events\[0\]\.unit: expected one of the model's heat pumps \(hp1, hp2\)/);
  });
});

  it("a move-blocked plan grid given by halves, or off the plan step", () => {
    const head = `name: s\nmodel: ${join(root, "models/paris-chapelle.yaml")}\nstart: 2026-01-01T00:00:00Z\nduration: P1D\n`;
    const half = write("s4.yaml", `${head}control: { step_min: 15, coarse_after_h: 4 }\n`);
    expectOneLineError(chaleur("validate", half), /s4\.yaml: control\.coarse_step_min: expected both coarse_after_h and coarse_step_min, or neither/);
    const off = write("s5.yaml", `${head}control: { step_min: 15, coarse_after_h: 4, coarse_step_min: 50 }\n`);
    expectOneLineError(chaleur("validate", off), /s5\.yaml: control\.coarse_step_min: expected a whole number of plan steps \(15 min\) \(got 50 min\)/);
  });

describe("chaleur simulate", () => {
  it("every command has --help", () => {
    for (const args of [["--help"], ["simulate", "--help"], ["validate", "--help"]]) {
      const r = chaleur(...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: chaleur/);
    }
  });

  it("an unknown controller is refused with exit code 2", () => {
    const r = chaleur("simulate", "simulations/paris-winter-week.yaml", "--controller", "magic");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/magic/);
  });

  it("same scenario and seed ⇒ byte-identical timeseries.csv and kpis.json; another seed differs", () => {
    const scen = "simulations/paris-winter-week-faults.yaml";
    const a = chaleur("simulate", scen, "--out", join(dir, "a"));
    const b = chaleur("simulate", scen, "--out", join(dir, "b"));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    for (const f of ["timeseries.csv", "kpis.json", "report.html"]) {
      expect(readFileSync(join(dir, "a", f)).equals(readFileSync(join(dir, "b", f)))).toBe(true);
    }
    const other = write("seed9.yaml", readFileSync(join(root, scen), "utf8").replace("seed: 42", "seed: 9").replace(/\.\.\/models/g, join(root, "models")));
    expect(chaleur("simulate", other, "--out", join(dir, "c")).code).toBe(0);
    expect(readFileSync(join(dir, "c", "timeseries.csv")).equals(readFileSync(join(dir, "a", "timeseries.csv")))).toBe(false);
  });

  it("simulate --set: the same outputs as hand-edited copies of the scenario and the model; bad paths are one line", () => {
    const scen = "simulations/paris-winter-week.yaml";
    const sets = ["--set", "duration=P2D", "--set", "prices.mean_eur_per_mwh=97", "--set", "model.storage.height_m=12"];
    const r = chaleur("simulate", scen, ...sets, "--out", join(dir, "set"));
    expect(r.code, r.err).toBe(0);
    const editedModel = write("model-h12.yaml", model.replace(/^  height_m: 8\b/m, "  height_m: 12"));
    expect(readFileSync(editedModel, "utf8")).not.toBe(model);
    const text = readFileSync(join(root, scen), "utf8");
    expect(text).toMatch(/^duration: P7D/m);
    const edited = write(
      "edited.yaml",
      text.replace(/^duration: P7D/m, "duration: P2D").replace(/mean_eur_per_mwh: \d+/, "mean_eur_per_mwh: 97").replace(/^model: .*$/m, `model: ${editedModel}`),
    );
    expect(chaleur("simulate", edited, "--out", join(dir, "edited")).code).toBe(0);
    for (const f of ["timeseries.csv", "kpis.json"]) expect(readFileSync(join(dir, "set", f)).equals(readFileSync(join(dir, "edited", f))), f).toBe(true);
    // …and not the same as the scenario as shipped (over the same two days).
    expect(chaleur("simulate", scen, "--set", "duration=P2D", "--out", join(dir, "plain")).code).toBe(0);
    expect(readFileSync(join(dir, "plain", "kpis.json")).equals(readFileSync(join(dir, "set", "kpis.json")))).toBe(false);
    expect(readFileSync(join(dir, "set", "report.html"), "utf8")).toContain("changed with --set: duration=P2D, prices.mean_eur_per_mwh=97, model.storage.height_m=12");
    expectOneLineError(chaleur("simulate", scen, "--set", "prices.mean_eur_per_mwh=abc"), /^chaleur: --set: prices\.mean_eur_per_mwh=abc: expected a number/);
    expectOneLineError(chaleur("simulate", scen, "--set", "model.storage.volume=3"), /^chaleur: --set: model\.storage\.volume=3: expected no such field/);
    expectOneLineError(chaleur("simulate", scen, "--set", "model.heat_pumps.5.heat_max_kw=1"), /expected an index from 0 to 1 at 'heat_pumps' \(got '5'\)/);
    expectOneLineError(chaleur("simulate", scen, "--set", "no-equals-sign"), /^chaleur: --set: expected path=value/);
  });

  it("writes the three outputs with the contract's columns and KPI fields", () => {
    const out = join(dir, "ww");
    const r = chaleur("simulate", "simulations/paris-winter-week.yaml", "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(join(out, "report.html"));
    const csv = readFileSync(join(out, "timeseries.csv"), "utf8").split("\n");
    const header = csv[0]!.split(",");
    for (const c of ["time", "it_heat_kw", "hp1_heat_kw", "hp1_elec_kw", "hp1_cop", "dh_demand_kw", "dh_sold_kw", "gh_direct_kw", "gh_boost_kw", "gh_temp_c", "storage_energy_kwh", "dump_kw", "chiller_kw", "fw_supply_temp_c", "outdoor_temp_c", "price_el_eur_mwh", "balance_residual_kw", "mode"]) {
      expect(header).toContain(c);
    }
    expect(csv).toHaveLength(7 * 1440 + 2); // header, one row a minute, trailing newline
    expect(csv[1]).toMatch(/^2026-01-11T23:00:00Z,/);
    const k = JSON.parse(readFileSync(join(out, "kpis.json"), "utf8"));
    for (const f of ["heat_it_mwh", "heat_recovered_mwh", "heat_sold_mwh", "heat_greenhouse_mwh", "heat_dumped_mwh", "electricity_mwh", "revenue_eur", "electricity_cost_eur", "net_value_eur", "co2_avoided_t", "energy_reuse_factor", "hp_seasonal_cop", "greenhouse_discomfort_kh", "cooling_violation_min", "max_balance_residual_kw", "solve_ms_p50", "solve_ms_p95", "mode_minutes"]) {
      expect(k).toHaveProperty(f);
    }
    expect(k.solve_ms_p50).toBeNull();
    expect(existsSync(join(out, "report.html"))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { loadPlcMap, plcMapFromData, registerNamed, type RegisterSpec } from "./plc-schema.ts";
import { validateFile } from "../cli/validate-file.ts";

const root = resolve(import.meta.dirname, "../..");
const MAPS = ["plc/heat-pumps.yaml", "plc/substation.yaml", "plc/greenhouse.yaml"];

type Reg = Record<string, unknown>;
type MapData = { registers: Reg[] } & Record<string, unknown>;

/** The shipped heat-pump map as data, edited by `change` (a fresh copy each time). */
function variant(change: (m: MapData) => void): MapData {
  const m = parse(readFileSync(join(root, "plc/heat-pumps.yaml"), "utf8")) as MapData;
  change(m);
  return m;
}
const reg = (m: MapData, name: string): Reg => m.registers.find((r) => r.name === name)!;
const check = (m: MapData) => () => plcMapFromData(m, "bad.yaml");

describe("shipped register maps", () => {
  it("all three load, with both float word orders and a scaled int16 exercised", () => {
    const [hp, sub, gh] = MAPS.map((f) => loadPlcMap(join(root, f)));
    expect(registerNamed(hp!, "hp1_heat_setpoint_kw")).toMatchObject({ fn: "holding", type: "float32", wordOrder: "ABCD", address: 10, min: 0, max: 650, safe: 0 });
    expect(registerNamed(hp!, "hp1_enable")).toMatchObject({ fn: "coil", type: "bool", min: 0, max: 1, safe: 0, access: "rw" });
    expect(registerNamed(sub!, "dh_sold_setpoint_kw")).toMatchObject({ type: "float32", wordOrder: "CDAB", max: 1500 });
    expect(registerNamed(gh!, "gh_direct_setpoint_kw")).toMatchObject({ type: "int16", scale: 0.1, wordOrder: null });
    for (const m of [hp!, sub!, gh!]) {
      expect(registerNamed(m, "heartbeat")).toMatchObject({ fn: "holding", type: "uint16", access: "rw", safe: null });
      expect(registerNamed(m, "status")).toMatchObject({ type: "uint16", access: "r" });
      expect(registerNamed(m, "controller_mode")).toMatchObject({ min: 0, max: 3, safe: 3 });
      expect(m.watchdogS).toBe(30);
    }
    expect(new Set([hp!.unitId, sub!.unitId, gh!.unitId]).size).toBe(3);
  });

  it("heat-pump setpoints are off / 0 kW in safe mode, so the dry coolers take the heat", () => {
    const hp = loadPlcMap(join(root, "plc/heat-pumps.yaml"));
    for (const r of hp.registers.filter((r) => /^hp\d_(enable|heat_setpoint_kw)$/.test(r.name))) expect(r.safe).toBe(0);
  });

  it("validate recognises a register map and prints a one-line summary", () => {
    expect(validateFile(join(root, "plc/heat-pumps.yaml"))).toMatch(/valid register map 'heat-pumps' \(unit 1, 13 registers \(5 holding, 4 input, 2 coils, 2 discrete\), 5 setpoints, watchdog 30 s\)$/);
  });
});

describe("plc/README.md", () => {
  /** The table row the README should have for a register (the automation engineer implements from these). */
  function row(r: RegisterSpec): string[] {
    const fullRange = r.name === "heartbeat" || Math.abs(r.max) > 3e38 || r.max === 0xffffffff || r.max === 3276.7;
    const limits = r.type === "bool" ? "0/1" : fullRange ? "—" : `${r.min}…${r.max}`;
    const address = r.type.endsWith("32") ? `${r.address}–${r.address + 1}` : String(r.address);
    return [`\`${r.name}\``, r.fn, address, r.type, r.wordOrder ?? (r.scale !== 1 ? `× ${r.scale}` : "—"), r.unit || "—", limits, r.safe === null ? "—" : String(r.safe), r.access];
  }

  it("has a table per map that matches the YAML register for register", () => {
    const readme = readFileSync(join(root, "plc/README.md"), "utf8");
    for (const f of MAPS) {
      const m = loadPlcMap(join(root, f));
      const section = readme.split(/^### /m).find((s) => s.startsWith(`${m.plc}: unit ${m.unitId}, watchdog ${m.watchdogS} s`));
      expect(section, `README section for ${m.plc}`).toBeDefined();
      const rows = section!.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split("|").slice(1, 10).map((c) => c.trim()));
      expect(rows).toEqual(m.registers.map(row));
    }
  });
});

describe("bad register maps give one line naming file, field and expectation", () => {
  it("an unknown field, with a hint at the misspelt one", () => {
    expect(check(variant((m) => { const r = reg(m, "hp1_enable"); r.adress = r.address; delete r.address; }))).toThrow(/^bad\.yaml: registers\[5\]\.adress: expected no such field .*did you mean 'address'\?/);
  });
  it("an unknown function", () => {
    expect(check(variant((m) => { reg(m, "hp1_heat_kw").function = "register"; }))).toThrow(/registers\[9\]\.function: expected one of "holding", "input", "coil", "discrete"/);
  });
  it("overlapping addresses within one function: a float32 takes two registers", () => {
    expect(check(variant((m) => { reg(m, "hp2_heat_setpoint_kw").address = 11; }))).toThrow("bad.yaml: registers[4].address: expected an address no other holding register uses ('hp2_heat_setpoint_kw' at 11–12 overlaps 'hp1_heat_setpoint_kw' at 10–11)");
  });
  it("the same address in different functions is fine (separate tables)", () => {
    const m = plcMapFromData(variant(() => undefined), "ok.yaml");
    expect(["heartbeat", "hp1_enable", "hp1_running", "hp1_heat_kw"].map((n) => [registerNamed(m, n)!.fn, registerNamed(m, n)!.address])).toEqual([["holding", 0], ["coil", 0], ["discrete", 0], ["input", 0]]);
  });
  it("a 32-bit type without word_order, a 16-bit type with one", () => {
    expect(check(variant((m) => { delete reg(m, "hp1_heat_setpoint_kw").word_order; }))).toThrow(/registers\[3\]\.word_order: expected ABCD or CDAB for a 32-bit float32 \(missing, register 'hp1_heat_setpoint_kw'\)/);
    expect(check(variant((m) => { reg(m, "controller_mode").word_order = "ABCD"; }))).toThrow(/registers\[2\]\.word_order: expected no word_order for a 16-bit or bool register/);
  });
  it("a 32-bit register must fit two addresses below 65536; addresses above 65535 are refused", () => {
    expect(check(variant((m) => { reg(m, "hp2_elec_kw").address = 65535; }))).toThrow(/registers\[12\]\.address: expected an address ≤ 65534 \(a float32 takes 2 registers\)/);
    expect(check(variant((m) => { reg(m, "status").address = 65536; }))).toThrow(/registers\[1\]\.address: expected a number ≤ 65535/);
    expect(check(variant((m) => { reg(m, "status").address = -1; }))).toThrow(/registers\[1\]\.address: expected a number ≥ 0/);
  });
  it("bool only on coils and discrete inputs, and those only bool", () => {
    expect(check(variant((m) => { reg(m, "controller_mode").type = "bool"; }))).toThrow(/registers\[2\]\.type: expected a numeric type on a holding register \(bool only on coils and discrete inputs/);
    expect(check(variant((m) => { reg(m, "hp1_enable").type = "uint16"; }))).toThrow(/registers\[5\]\.type: expected bool on a coil/);
  });
  it("input registers and discrete inputs cannot be writable", () => {
    expect(check(variant((m) => { Object.assign(reg(m, "hp1_heat_kw"), { access: "rw", safe: 0 }); }))).toThrow(/registers\[9\]\.access: expected r \(input registers are read-only in Modbus\)/);
  });
  it("min ≤ safe ≤ max, and min ≤ max", () => {
    expect(check(variant((m) => { reg(m, "hp1_heat_setpoint_kw").safe = 700; }))).toThrow("bad.yaml: registers[3].safe: expected a value within min…max (0…650) (got 700, register 'hp1_heat_setpoint_kw')");
    expect(check(variant((m) => { reg(m, "hp1_heat_setpoint_kw").min = 700; }))).toThrow(/registers\[3\]\.min: expected min ≤ max \(650\) \(got 700/);
  });
  it("limits the type cannot carry at its scale, and limits between raw steps", () => {
    const gh = parse(readFileSync(join(root, "plc/greenhouse.yaml"), "utf8")) as MapData;
    reg(gh, "gh_direct_setpoint_kw").max = 4000;
    expect(() => plcMapFromData(gh, "gh.yaml")).toThrow(/registers\[3\]\.max: expected a value within the int16 range at scale 0\.1 \(-3276\.8…3276\.7\) \(got 4000/);
    reg(gh, "gh_direct_setpoint_kw").max = 300;
    reg(gh, "gh_direct_setpoint_kw").safe = 0.05;
    expect(() => plcMapFromData(gh, "gh.yaml")).toThrow(/registers\[3\]\.safe: expected a multiple of scale 0\.1/);
    expect(check(variant((m) => { reg(m, "hp1_heat_setpoint_kw").scale = 0.1; }))).toThrow(/registers\[3\]\.scale: expected 1 for a float32/);
  });
  it("writable setpoints need min, max and safe; read-only registers have no safe value", () => {
    expect(check(variant((m) => { delete reg(m, "hp1_heat_setpoint_kw").safe; }))).toThrow(/registers\[3\]\.safe: expected the value the watchdog applies when chaleur falls silent \(missing/);
    expect(check(variant((m) => { delete reg(m, "controller_mode").max; }))).toThrow(/registers\[2\]\.max: expected an upper limit for a writable register/);
    expect(check(variant((m) => { reg(m, "hp1_heat_kw").safe = 0; }))).toThrow(/registers\[9\]\.safe: expected no safe value on a read-only register/);
  });
  it("names are unique", () => {
    expect(check(variant((m) => { reg(m, "hp2_enable").name = "hp1_enable"; }))).toThrow("bad.yaml: registers[6].name: expected a name no other register uses ('hp1_enable' is also registers[5])");
  });
  it("exactly one heartbeat and one status register, of the right kind", () => {
    expect(check(variant((m) => { m.registers = m.registers.filter((r) => r.name !== "heartbeat"); }))).toThrow("bad.yaml: registers: expected a register named 'heartbeat' (missing; every PLC needs a heartbeat and a status register)");
    expect(check(variant((m) => { m.registers = m.registers.filter((r) => r.name !== "status"); }))).toThrow(/registers: expected a register named 'status'/);
    expect(check(variant((m) => { Object.assign(reg(m, "heartbeat"), { type: "float32", word_order: "ABCD" }); }))).toThrow(/registers\[0\]\.function: expected heartbeat as a holding uint16 with access rw/);
    expect(check(variant((m) => { reg(m, "heartbeat").safe = 0; }))).toThrow(/registers\[0\]\.safe: expected no safe value on the heartbeat/);
    expect(check(variant((m) => { Object.assign(reg(m, "status"), { access: "rw", safe: 0 }); }))).toThrow(/registers\[1\]\.function: expected status as a holding or input uint16 with access r/);
  });
  it("unit id 1–247 and a positive watchdog", () => {
    expect(check(variant((m) => { m.unit_id = 0; }))).toThrow(/bad\.yaml: unit_id: expected a number ≥ 1/);
    expect(check(variant((m) => { m.watchdog_s = 0; }))).toThrow(/bad\.yaml: watchdog_s: expected a number > 0/);
  });

  it("chaleur validate: exit 2 and one line for a bad map, exit 0 and a summary for a good one", () => {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-plc-"));
    const bad = join(dir, "bad-map.yaml");
    writeFileSync(bad, stringify(variant((m) => { reg(m, "hp1_heat_setpoint_kw").max = 500; reg(m, "hp1_heat_setpoint_kw").safe = 600; })));
    const run = (f: string) => spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "validate", f], { cwd: root, encoding: "utf8" });
    const r = run(bad);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/bad-map\.yaml: registers\[3\]\.safe: expected a value within min…max \(0…500\) \(got 600, register 'hp1_heat_setpoint_kw'\)$/);
    const ok = run("plc/substation.yaml");
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^plc\/substation\.yaml: valid register map 'substation'/);
  });
});

import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadWireConfig, opcuaPassword } from "./wire-config.ts";
import { loadModel } from "./plant-model.ts";
import { measurementCatalogue } from "../io/catalogue.ts";

const demo = readFileSync("config/chaleur-demo.yaml", "utf8");
const dir = mkdtempSync(join(tmpdir(), "chaleur-wire-"));
function variant(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
};

describe("the wire config (tag map, OPC UA security, PLC endpoints)", () => {
  it("the demo config maps every measurement the simulated plant serves", () => {
    const w = loadWireConfig("config/chaleur-demo.yaml");
    const names = new Set(w.opcua.tags.map((t) => t.measurement));
    for (const s of measurementCatalogue(loadModel("models/paris-chapelle.yaml"))) expect(names.has(s.name), s.name).toBe(true);
    expect(w.dataDir).toMatch(/data\/demo$/);
    expect(w.modbus.plcs.map((p) => p.port)).toEqual([5020, 5021, 5022]);
  });

  it("refuses a measurement mapped twice, naming both entries", () => {
    const f = variant("dup.yaml", demo.replace('measurement: hp2.running', 'measurement: hp1.running'));
    expect(errorOf(() => loadWireConfig(f))).toMatch(/dup\.yaml: opcua\.tags\[8\]\.measurement: expected each measurement once.*tags\[3\]/);
  });

  it("refuses insecure combinations and a password written into the file", () => {
    const a = variant("a.yaml", demo.replace("security_policy: Basic256Sha256", "security_policy: None"));
    expect(errorOf(() => loadWireConfig(a))).toMatch(/a\.yaml: opcua\.security_policy: .*security_mode None goes with security_policy None/);
    const b = variant("b.yaml", demo.replace("password_env: CHALEUR_OPCUA_PASSWORD", "password: secret"));
    expect(errorOf(() => loadWireConfig(b))).toMatch(/b\.yaml: opcua\.password: expected no such field/);
    const c = variant("c.yaml", demo.replace('node: "ns=1;s=gh.temp_c"', 'node: "gh.temp_c"'));
    expect(errorOf(() => loadWireConfig(c))).toMatch(/c\.yaml: opcua\.tags\[19\]\.node: expected an OPC UA node id/);
  });

  it("reads the password from the environment variable it names, and says when it is not set", () => {
    const w = loadWireConfig("config/chaleur-demo.yaml");
    expect(opcuaPassword(w, { CHALEUR_OPCUA_PASSWORD: "s3cret" })).toBe("s3cret");
    expect(errorOf(() => opcuaPassword(w, {}))).toMatch(/opcua\.password_env: expected the environment variable CHALEUR_OPCUA_PASSWORD to be set/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import { loadModel } from "../src/config/plant-model.ts";
import { loadPlcMap } from "../src/config/plc-schema.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { freePort } from "../src/io/free-port.ts";
import { openWritableHistory } from "../src/store/history.ts";
import { demoConfigFile } from "./demo-config.ts";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-daemon-cli-"));
/** The demo config moved to this test's ports and folders, cycling every 2 s. */
function config(name: string, o: { opcuaPort: number; modbusPorts: number[]; httpPort: number; extra?: (s: string) => string }): string {
  return demoConfigFile(dir, name, { ...o, ioPeriodS: 2 });
}

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, CHALEUR_OPCUA_PASSWORD: "cli-test" }, timeout: 60_000 });

describe("chaleur daemon: bad configs and a busy port are one line, exit 2", () => {
  it("an unknown field, a missing tag, PLC limits that disagree with the model, the HTTP port in use", async () => {
    const ports = { opcuaPort: await freePort(), modbusPorts: [41000, 41001, 41002], httpPort: await freePort() };
    const typo = config("typo", { ...ports, extra: (s) => s.replace("replan_min: 15", "replan_mins: 15") });
    let r = cli("daemon", "--config", typo);
    expect(r.stderr.trim()).toBe(`chaleur: ${typo}: control.replan_mins: expected no such field (unknown field; check the spelling)`);
    expect(r.status).toBe(2);
    const noTag = config("no-tag", { ...ports, extra: (s) => s.split("\n").filter((l) => !l.includes("measurement: gh.temp_c")).join("\n") });
    r = cli("daemon", "--config", noTag);
    expect(r.stderr.trim()).toBe(`chaleur: ${noTag}: opcua.tags: expected a tag for every measurement the model needs (missing gh.temp_c)`);
    expect(r.status).toBe(2);
    const wideMap = join(dir, "substation-wide.yaml");
    writeFileSync(wideMap, readFileSync(join(root, "plc/substation.yaml"), "utf8").replace(/(name: dh_sold_setpoint_kw[\s\S]*?max: )1500/, "$12000"));
    const wide = config("wide", { ...ports, extra: (s) => s.replace(`${root}/plc/substation.yaml`, wideMap) });
    r = cli("daemon", "--config", wide);
    expect(r.stderr.trim()).toBe(`chaleur: ${wide}: modbus.plcs: expected register limits that agree with the model ${root}/models/paris-chapelle.yaml (substation dh_sold_setpoint_kw max 2000 kW ≠ model network.contract_max_kw 1500.0 kW)`);
    expect(r.status).toBe(2);
    // A history that cannot serve: one line, exit 2, the file as it was.
    const garbage = join(dir, "garbage.sqlite");
    writeFileSync(garbage, "this is not a database ".repeat(400));
    const bad = config("bad-history", { ...ports, extra: (s) => s.replace("history:", `history:\n  file: ${garbage}`) });
    r = cli("daemon", "--config", bad);
    expect(r.stderr.trim()).toMatch(new RegExp(`^chaleur: ${garbage}: expected a chaleur history database \\(the file is not an SQLite database`));
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.status).toBe(2);
    expect(readFileSync(garbage, "utf8")).toBe("this is not a database ".repeat(400));
    const held = openWritableHistory(join(dir, "held.sqlite"), { startedWallMs: 0, pid: process.pid, version: "test", config: "test", model: "test" });
    try {
      const locked = config("locked-history", { ...ports, extra: (s) => s.replace("history:", `history:\n  file: ${join(dir, "held.sqlite")}`) });
      r = cli("daemon", "--config", locked);
      expect(r.stderr.trim()).toMatch(/held\.sqlite: expected a history no other process writes \(another chaleur daemon holds .*held\.sqlite\.lock/);
      expect(r.status).toBe(2);
    } finally {
      held.close();
    }
    const busy: Server = createServer();
    await new Promise<void>((ok) => busy.listen(ports.httpPort, "127.0.0.1", ok));
    try {
      const f = config("busy", ports);
      r = cli("daemon", "--config", f);
      expect(r.stderr.trim()).toBe(`chaleur: ${f}: http.port: expected a free port for the daemon's HTTP API (port ${ports.httpPort} is already in use)`);
      expect(r.status).toBe(2);
    } finally {
      busy.close();
    }
  });
});

describe("chaleur daemon with nothing to talk to", () => {
  it("an unreachable OPC UA server and PLCs at start-up: one log line per reason, it keeps trying, health says down", { timeout: 120_000 }, async () => {
    // Ports nobody listens on.
    const [opcuaPort, m1, m2, m3, httpPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const f = config("nothing", { opcuaPort, modbusPorts: [m1, m2, m3], httpPort });
    const d = startDaemon(f);
    try {
      // Nothing is written during the 20-s start-up grace; then safe values, which no PLC takes.
      await until("a write failure per PLC", () => new Set(d.lines().filter((l) => l.event === "write_failed").map((l) => l.plc)).size === 3, 60_000);
      await new Promise((r) => setTimeout(r, 6000));
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/health`);
      expect(res.status).toBe(503);
      const h = (await res.json()) as { status: string; mode: string; connections: unknown };
      expect(h).toMatchObject({ status: "down", mode: "safe", connections: { opcua: "down", plcs: { "heat-pumps": "down", substation: "down", greenhouse: "down" } } });
      const lines = d.lines();
      expect(lines.filter((l) => l.event === "opcua_connect_failed")).toHaveLength(1);
      expect(String(lines.find((l) => l.event === "opcua_connect_failed")!.error)).toMatch(new RegExp(`127\\.0\\.0\\.1:${opcuaPort}`));
      // Several cycles ran, yet one line per PLC and reason.
      expect(lines.filter((l) => l.event === "write_failed")).toHaveLength(3);
      expect(d.child.exitCode).toBeNull();
    } finally {
      d.child.kill("SIGTERM");
      await new Promise((r) => d.child.once("exit", r));
    }
    expect(d.child.exitCode).toBe(0);
  });
});

/** A daemon child process with its JSON log lines collected. */
function startDaemon(cfgFile: string): { child: ChildProcess; lines: () => Record<string, unknown>[] } {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "daemon", "--config", cfgFile], { cwd: root, env: { ...process.env, CHALEUR_OPCUA_PASSWORD: "cli-test" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, lines: () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function health(port: number): Promise<Record<string, unknown> | null> {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

describe("chaleur daemon against sim-plant, as a process", () => {
  let plant: SimPlant;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    setLogLevel(LogLevel.Error);
    const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(join(root, "plc", `${n}.yaml`)));
    plant = await startSimPlant({ model: loadModel(join(root, "models/paris-chapelle.yaml")), plcMaps: maps, opcuaPort: 0, modbusPort: 0, speed: 1, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "cli-test" }], autoAcceptCertificates: false, tickMs: 250 });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await plant?.stop();
  });

  it("an untrusted certificate is one log line and the daemon keeps trying; killed, the PLCs go safe; restarted, it takes over with a plan step", { timeout: 180_000 }, async () => {
    const port = Number(new URL(plant.opcua.endpointUrl.replace("opc.tcp:", "http:")).port);
    const httpPort = await freePort();
    const f = config("live", { opcuaPort: port, modbusPorts: plant.plcs.map((p) => p.server.port), httpPort });
    const a = startDaemon(f);
    children.push(a.child);
    await until("the trust error", () => a.lines().some((l) => l.event === "opcua_connect_failed"), 60_000);
    const refused = a.lines().filter((l) => l.event === "opcua_connect_failed");
    expect(String(refused[0]!.error)).toMatch(/does not trust chaleur's certificate \(BadSecurityChecksFailed\): add .*client_certificate\.pem to the server's trusted certificates/);
    // While refused: health answers, nothing measured, the daemon has not exited.
    expect((await health(httpPort))?.connections).toMatchObject({ opcua: "down" });
    await plant.opcua.trustCertificate(join(dir, "live", "pki", "own", "certs", "client_certificate.pem"));
    await until("optimal", async () => (await health(httpPort))?.mode === "optimal", 60_000);
    expect(a.lines().filter((l) => l.event === "opcua_connect_failed")).toHaveLength(1);
    await until("the PLCs on chaleur's setpoints", () => plant.plcs.every((p) => !p.logic.inSafeMode()), 30_000);

    a.child.kill("SIGKILL");
    await until("the PLC watchdogs", () => plant.plcs.every((p) => p.logic.inSafeMode()), 45_000);
    expect(plant.plcs[0]!.logic.effective().hp1_enable).toBe(0);

    const b = startDaemon(f);
    children.push(b.child);
    await until("the PLCs remote again", () => plant.plcs.every((p) => !p.logic.inSafeMode()), 60_000);
    await until("optimal", async () => (await health(httpPort))?.mode === "optimal", 30_000);
    const modes = b.lines().filter((l) => l.event === "mode");
    // Its first cycle waited for its plan: the first mode it ever took is optimal, no rule or safe step between.
    expect(modes.map((l) => `${l.from}→${l.to}`)).toEqual(["starting→optimal"]);
    b.child.kill("SIGTERM");
    await new Promise((r) => b.child.once("exit", r));
    expect(b.child.exitCode).toBe(0);
    expect(b.lines().map((l) => l.event)).toContain("stopped");
    // The last setpoints stay on the PLCs after a graceful stop (the watchdog takes over only after 30 s).
    expect(plant.plcs.every((p) => !p.logic.inSafeMode())).toBe(true);
  });
});

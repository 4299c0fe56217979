import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { freePort } from "../src/io/free-port.ts";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ModbusRTU from "modbus-serial";

const root = resolve(import.meta.dirname, "..");
const main = join(root, "src/cli/main.ts");


describe("chaleur sim-plant (the command)", () => {
  it("starts, serves the PLCs over Modbus (safe at power-up, status 1), and stops cleanly on SIGTERM", { timeout: 60_000 }, async () => {
    const opcuaPort = await freePort();
    const modbusPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "chaleur-simplant-"));
    const child = spawn(process.execPath, ["--import", "tsx", main, "sim-plant", "--model", "models/paris-chapelle.yaml", "--opcua-port", String(opcuaPort), "--modbus-port", String(modbusPort), "--data-dir", dir, "--log-every-s", "1"], { cwd: root });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const t0 = Date.now();
    while (!/heat-pumps SAFE/.test(out)) {
      if (Date.now() - t0 > 40_000 || child.exitCode !== null) throw new Error(`sim-plant did not come up: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain(`OPC UA  opc.tcp://localhost:${opcuaPort}`);
    expect(out).toContain(`Modbus  heat-pumps: 127.0.0.1:${modbusPort} unit 1, watchdog 30 s`);
    const m = new ModbusRTU();
    await m.connectTCP("127.0.0.1", { port: modbusPort });
    m.setID(1);
    m.setTimeout(2000);
    const status = await m.readHoldingRegisters(1, 1);
    expect(status.data[0]).toBe(1); // no heartbeat seen since power-up: safe
    m.close(() => undefined);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).toBe(0);
    expect(out).toContain("sim-plant: stopped");
  });

  it("a bad --speed is one line and exit code 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "sim-plant", "--model", "models/paris-chapelle.yaml", "--speed", "fast"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("chaleur: --speed: expected a number > 0 and ≤ 3600 (simulated seconds per second) (got 'fast')");
  });
});

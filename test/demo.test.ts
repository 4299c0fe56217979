import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../src/io/free-port.ts";
import { demoConfigFile } from "./demo-config.ts";

const root = resolve(import.meta.dirname, "..");

function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createConnection({ host: "127.0.0.1", port }, () => {
      s.destroy();
      ok(true);
    });
    s.on("error", () => ok(false));
  });
}

describe("chaleur demo (what npm start runs)", () => {
  it("answers /api/health with mode optimal within 60 s, prints what it does, and Ctrl-C frees every port", { timeout: 150_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-demo-"));
    // The demo config on free ports (npm start uses 4840, 5020–5022 and 8080, which other tests may hold).
    const [opcua, http] = [await freePort(), await freePort()];
    const modbus = 43000 + Math.floor(Math.random() * 2000);
    const cfg = demoConfigFile(dir, "data", { opcuaPort: opcua, modbusPorts: [modbus, modbus + 1, modbus + 2], httpPort: http, ioPeriodS: 10 });
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "demo", "--config", cfg, "--status-every-s", "2"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    let mode = "";
    while (Date.now() - t0 < 60_000 && mode !== "optimal") {
      await new Promise((r) => setTimeout(r, 500));
      try {
        mode = ((await (await fetch(`http://127.0.0.1:${http}/api/health`)).json()) as { mode: string }).mode;
      } catch {
        // not listening yet
      }
    }
    expect(mode, out).toBe("optimal");
    await new Promise((r) => setTimeout(r, 5000));
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ {2}optimal +plan \w+ \d+ s ago, -?\d+ €; hp1 /m);
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
    expect(child.exitCode, out).toBe(0);
    expect(out).toMatch(/chaleur demo: stopped, ports free/);
    for (const p of [opcua, http, modbus, modbus + 1, modbus + 2]) expect(await portOpen(p)).toBe(false);
  });
});

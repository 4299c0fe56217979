import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import { loadModel } from "../src/config/plant-model.ts";
import { loadPlcMap } from "../src/config/plc-schema.ts";
import { startSimPlant } from "../src/sim/plant-server.ts";
import { freePort } from "../src/io/free-port.ts";
import { demoConfigFile } from "../test/demo-config.ts";

/**
 * `node --import tsx bench/restart-timing.ts`: how soon a (re)started `chaleur daemon` writes to the PLCs. sim-plant
 * at 1× in this process; the daemon as a process with a 10-s I/O period, started four times with 12 s between a
 * graceful stop and the next start. Times are from the process's spawn to each log line's own timestamp.
 */
setLogLevel(LogLevel.Error);
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "restart-"));
const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(join(root, "plc", `${n}.yaml`)));
const plant = await startSimPlant({ model: loadModel(join(root, "models/paris-chapelle.yaml")), plcMaps: maps, opcuaPort: 0, modbusPort: 0, speed: 1, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "t" }], autoAcceptCertificates: true, tickMs: 250 });
const port = Number(new URL(plant.opcua.endpointUrl.replace("opc.tcp:", "http:")).port);
const f = demoConfigFile(dir, "d", { opcuaPort: port, modbusPorts: plant.plcs.map((p) => p.server.port), httpPort: await freePort(), ioPeriodS: 10 });
function run() {
  const t0 = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "daemon", "--config", f], { cwd: root, env: { ...process.env, CHALEUR_OPCUA_PASSWORD: "t" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const lines = () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { t0, child, lines };
}
const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setTimeout(r, 100)); };
for (let k = 0; k < 4; k++) {
  const d = run();
  await until(() => d.lines().some((l) => l.event === "mode"));
  const at = (ev: string, pred: (l: Record<string, unknown>) => boolean = () => true) => { const l = d.lines().find((x) => x.event === ev && pred(x)); return l ? (((l.time as number) - d.t0) / 1000).toFixed(1) : "-"; };
  const mode = d.lines().find((l) => l.event === "mode")!;
  console.log(`run ${k}: start ${at("start")} s, history ${at("history")} s, OPC UA ${at("opcua_connected")} s, first cycle (${mode.from}→${mode.to}, ${String(mode.cause)}) ${at("mode")} s, first plan ${at("plan")} s`);
  await new Promise((r) => setTimeout(r, 12_000));
  const ts = Date.now();
  d.child.kill("SIGTERM");
  await new Promise((r) => d.child.once("exit", r));
  console.log(`  graceful stop ${((Date.now() - ts) / 1000).toFixed(1)} s`);
}
await plant.stop();

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pino from "pino";
import { InputError } from "../config/errors.ts";
import { loadDaemonConfig, type DaemonConfig } from "../config/daemon-config.ts";
import { runDaemon, type RunningDaemon } from "../daemon/run.ts";
import { prepareOutputDir } from "./output-path.ts";

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((done) => {
    process.once("SIGINT", () => done("SIGINT"));
    process.once("SIGTERM", () => done("SIGTERM"));
  });
}

/** `chaleur daemon --config FILE`: the controller on the plant PC, until SIGTERM/SIGINT. Logs are JSON lines on stdout. */
export async function runDaemonCommand(configFile: string): Promise<void> {
  const cfg = loadDaemonConfig(configFile);
  prepareOutputDir("data_dir", cfg.wire.dataDir);
  const running = await runDaemon(cfg);
  const signal = await untilSignal();
  running.log.info({ event: "signal", signal }, `${signal} received`);
  await running.stop();
}

export interface DemoOptions {
  config: string;
  speed: string;
  statusEveryS: string;
}

/**
 * `chaleur demo` (= `npm start`): the simulated plant (OPC UA + Modbus on loopback, accelerated) and the daemon with
 * its API in one process, the daemon on the plant's clock; a line of what it does every few seconds; Ctrl-C stops
 * both and frees the ports. The daemon's JSON log goes to a file (its path is printed).
 */
export async function runDemo(o: DemoOptions): Promise<void> {
  const speed = Number(o.speed);
  if (!(speed >= 1 && speed <= 600)) throw new InputError("--speed", "", "a number from 1 to 600 (simulated seconds per second)", `got '${o.speed}'`);
  const everyS = Number(o.statusEveryS);
  if (!(everyS > 0)) throw new InputError("--status-every-s", "", "a positive number of seconds", `got '${o.statusEveryS}'`);
  const cfg: DaemonConfig = loadDaemonConfig(o.config);
  const { LogLevel, setLogLevel } = await import("node-opcua");
  setLogLevel(LogLevel.Error);
  const { startSimPlant, SimPlantListenError } = await import("../sim/plant-server.ts");
  const { listenProblem } = await import("./sim-plant.ts");
  const dataDir = prepareOutputDir("data_dir", cfg.wire.dataDir);
  // The demo's drop folder exists from the start, so that a file can be dropped in to see it used.
  if (cfg.forecastSources.dropFolder) prepareOutputDir("forecast_sources.drop_folder", cfg.forecastSources.dropFolder);
  const envName = cfg.wire.opcua.passwordEnv ?? "CHALEUR_OPCUA_PASSWORD";
  // A password made for this run unless one is set: the demo has no built-in default.
  process.env[envName] ||= randomBytes(9).toString("base64url");
  const endpoint = new URL(cfg.wire.opcua.endpoint.replace(/^opc\.tcp:/, "http:"));
  const modbusPort = cfg.wire.modbus.plcs[0]!.port;
  cfg.wire.modbus.plcs.forEach((p, k) => {
    if (p.port !== modbusPort + k || p.host !== "127.0.0.1") throw new InputError(o.config, `modbus.plcs[${k}]`, `127.0.0.1:${modbusPort + k} (the demo's PLCs listen on consecutive loopback ports)`, `got ${p.host}:${p.port}`);
  });
  // The simulated plant goes on from where the demo's history ends (the plant runs ahead of the wall clock), so a
  // restarted demo resumes its plan instead of writing rows at times the history already has.
  const { existsSync } = await import("node:fs");
  let simStartMs: number | undefined;
  if (existsSync(cfg.history.file)) {
    const { openReadableHistory } = await import("../store/history.ts");
    const h = openReadableHistory(cfg.history.file, { anyVersion: true });
    const last = h.reader.lastCycle();
    h.close();
    if (last && last.timeMs >= Date.now()) simStartMs = Math.ceil((last.timeMs + 1) / 60_000) * 60_000;
  }
  let plant;
  try {
    plant = await startSimPlant({
      ...(simStartMs !== undefined ? { simStartMs } : {}),
      model: cfg.model,
      plcMaps: cfg.maps,
      opcuaPort: Number(endpoint.port || 4840),
      modbusPort,
      host: "127.0.0.1",
      speed,
      dataDir: join(dataDir, "sim-plant"),
      users: [{ username: cfg.wire.opcua.username ?? "chaleur", password: process.env[envName]! }],
      autoAcceptCertificates: true,
      tickMs: 100,
      sourceTime: "plant",
    });
  } catch (e) {
    if (e instanceof SimPlantListenError) throw listenProblem(e, cfg.maps.length, modbusPort);
    throw e;
  }
  const logFile = join(dataDir, "daemon.log");
  let running: RunningDaemon;
  try {
    running = await runDaemon(cfg, { clock: { nowMs: () => plant.plantNowMs(), rate: speed }, logDestination: pino.destination({ dest: logFile, sync: false }), demoUsers: true });
  } catch (e) {
    await plant.stop();
    throw e;
  }
  const health = `http://${cfg.http.host}:${cfg.http.port}/api/health`;
  console.log(`chaleur demo: ${cfg.model.name}, simulated plant at ${speed}× (an hour of plant in ${(60 / speed).toFixed(1)} min)`);
  console.log(`  plant     OPC UA ${plant.opcua.endpointUrl}, PLCs on Modbus 127.0.0.1:${modbusPort}–${modbusPort + cfg.maps.length - 1} (watchdogs in real seconds)`);
  console.log(`  daemon    ${health}   (mode, plan age, links)`);
  console.log(`  HMI       ${health.replace("/api/health", "/")}   (log in as one of these demo users; passwords are new at each start)`);
  for (const u of running.demoUsers) console.log(`              ${u.username.padEnd(9)} ${u.password}`);
  console.log(`  log       ${logFile}   (JSON lines: mode changes, plans, failures)`);
  console.log(`  history   ${cfg.history.file}   (SQLite; \`chaleur export --db\` gives timeseries.csv)`);
  console.log("  Ctrl-C stops the plant and the daemon.");
  const timer = setInterval(() => {
    const s = running.daemon.status$.value;
    const t = running.totals;
    const store = running.daemon.planStore;
    const plan = store.plan ? `plan ${store.trigger} ${Math.round(s.planAgeS ?? 0)} s ago, ${store.plan.objectiveEur.toFixed(0)} €` : "no plan yet";
    const w = s.written;
    const hps = cfg.model.heatPumps.map((h) => `${h.id} ${w[`${h.id}_enable`] ? `${Math.round(w[`${h.id}_heat_setpoint_kw`] ?? 0)} kW` : "off"}`).join(", ");
    console.log(`${new Date(s.plantTimeMs).toISOString().slice(0, 16)}Z  ${s.mode.padEnd(7)} ${plan}; ${hps}; sold ${t.heatSoldMwh.toFixed(2)} MWh, dumped ${t.heatDumpedMwh.toFixed(2)} MWh so far`);
  }, everyS * 1000);
  await untilSignal();
  clearInterval(timer);
  console.log("chaleur demo: stopping");
  await running.stop();
  await plant.stop();
  console.log("chaleur demo: stopped, ports free");
}


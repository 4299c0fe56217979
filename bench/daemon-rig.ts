/**
 * The rig shared by the daemon benchmarks: sim-plant in this process on free loopback ports (OPC UA
 * SignAndEncrypt with the demo user, three Modbus PLCs) and the daemon assembled by `runDaemon` from
 * config/chaleur-demo.yaml with only the endpoint, ports, directories and the given control settings replaced, so
 * that what is measured is the daemon as shipped, not a bench-only assembly.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import pino from "pino";
import { loadDaemonConfig, type DaemonConfig } from "../src/config/daemon-config.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { runDaemon, type RunningDaemon } from "../src/daemon/run.ts";
import { freePort } from "../src/io/free-port.ts";
import type { DaemonStatus } from "../src/daemon/cycle.ts";
import type { Planner } from "../src/control/planner.ts";

export interface RigOptions {
  /** The plant's simulated seconds per wall second. */
  speed: number;
  /**
   * "wall": the plant stamps values with the wall clock and the daemon runs on it (speed 1, as on a plant);
   * "plant": both on the simulated clock (the accelerated demo, as `runDemo` does).
   */
  sourceTime: "wall" | "plant";
  /** Changes to the config's control section (plant seconds), e.g. a short I/O period. */
  control?: Partial<DaemonConfig["control"]>;
  tickMs: number;
  /** Wraps the daemon's planner (the solving benchmark shapes its requests). */
  wrapPlanner?: (p: Planner) => Planner;
}

export interface Rig {
  plant: SimPlant;
  running: RunningDaemon;
  cfg: DaemonConfig;
  /** The daemon's JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  /** Stops the daemon, then the plant (every port freed), and removes the temporary directory. */
  stop(): Promise<void>;
}

export async function startRig(o: RigOptions): Promise<Rig> {
  setLogLevel(LogLevel.Error);
  const dir = mkdtempSync(join(tmpdir(), "chaleur-bench-daemon-"));
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const envName = cfg.wire.opcua.passwordEnv ?? "CHALEUR_OPCUA_PASSWORD";
  process.env[envName] ||= `bench-${process.pid}`;
  const plant = await startSimPlant({ model: cfg.model, plcMaps: cfg.maps, opcuaPort: 0, modbusPort: 0, speed: o.speed, dataDir: join(dir, "plant"), users: [{ username: cfg.wire.opcua.username ?? "chaleur", password: process.env[envName]! }], autoAcceptCertificates: true, tickMs: o.tickMs, sourceTime: o.sourceTime });
  // The demo's tag ages are plant seconds sized for 60× (a 250-ms publishing interval is 15 plant seconds there):
  // faster, the same wall interval is more plant time, so the ages scale with the speed or every value goes stale.
  const ageScale = Math.max(1, o.speed / 60);
  cfg.wire = {
    ...cfg.wire,
    dataDir: join(dir, "daemon"),
    opcua: { ...cfg.wire.opcua, endpoint: plant.opcua.endpointUrl, tags: cfg.wire.opcua.tags.map((t) => ({ ...t, maxAgeS: t.maxAgeS * ageScale })) },
    modbus: { ...cfg.wire.modbus, plcs: cfg.wire.modbus.plcs.map((p, k) => ({ ...p, port: plant.plcs[k]!.server.port })) },
  };
  cfg.history = { ...cfg.history, file: join(dir, "daemon", "history.sqlite") };
  cfg.control = { ...cfg.control, ...o.control };
  const logFile = join(dir, "daemon.log");
  const dest = pino.destination({ dest: logFile, sync: false });
  // Not the plant's clock at 1×: it starts at the wall clock's last whole minute, so wall-stamped values would look
  // up to a minute in the future to it (and be refused as bad_source).
  const clock = o.sourceTime === "wall" ? { nowMs: Date.now, rate: 1 } : { nowMs: () => plant.plantNowMs(), rate: o.speed };
  let running: RunningDaemon | undefined;
  // A port free when asked may be taken before the daemon listens: ask again (runDaemon started nothing then).
  for (let attempt = 0; !running; attempt++) {
    cfg.http = { ...cfg.http, port: await freePort() };
    try {
      running = await runDaemon(cfg, { clock, logDestination: dest, ...(o.wrapPlanner ? { wrapPlanner: o.wrapPlanner } : {}) });
    } catch (e) {
      if (attempt >= 2 || !String((e as Error).message).includes("in use")) {
        await plant.stop();
        throw e;
      }
    }
  }
  const r = running;
  return {
    plant,
    running: r,
    cfg,
    logLines: () => {
      dest.flushSync();
      return readFileSync(logFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async stop() {
      await r.stop();
      await plant.stop();
      dest.flushSync();
      dest.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CycleSample {
  ms: number;
  /** performance.now() when the cycle ended (its status was published). */
  endMs: number;
  /** A plan was in flight at some point of the cycle (requested, forecasts read, or solving on the worker). */
  solving: boolean;
  status: DaemonStatus;
}

/**
 * Every finished cycle as the daemon publishes it. `planInFlight` is a status, not a cycle property: a plan may start
 * or end in the middle of a cycle, so the times it changes are kept and a cycle counts as solving when its span
 * [end − lastCycleMs, end] meets any interval with a plan in flight.
 */
export function watchCycles(r: RunningDaemon): { samples: CycleSample[]; unsubscribe(): void } {
  const samples: CycleSample[] = [];
  let busySince: number | null = null;
  let lastBusyEnd = -Infinity;
  let seen = 0;
  const sub = r.daemon.status$.subscribe((s) => {
    // status$ emits synchronously inside the daemon, so now is the instant the status changed.
    const now = performance.now();
    if (s.planInFlight && busySince === null) busySince = now;
    if (!s.planInFlight && busySince !== null) {
      lastBusyEnd = now;
      busySince = null;
    }
    if (s.cycles > seen && s.lastCycleMs !== null) {
      seen = s.cycles;
      samples.push({ ms: s.lastCycleMs, endMs: now, solving: busySince !== null || lastBusyEnd >= now - s.lastCycleMs, status: s });
    }
  });
  return { samples, unsubscribe: () => sub.unsubscribe() };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

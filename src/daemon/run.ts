import { dirname } from "node:path";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import pino, { type Logger } from "pino";
import type { FastifyInstance } from "fastify";
import { InputError } from "../config/errors.ts";
import type { DaemonConfig } from "../config/daemon-config.ts";
import { opcuaPassword } from "../config/wire-config.ts";
import type { PlantMeasurementPort } from "../io/opcua/port.ts";
import type { SetpointPort } from "../io/types.ts";
import { KpiAccumulator, timeseriesColumns } from "../report/record.ts";
import { openWritableHistory, type WritableHistory } from "../store/history.ts";
import { Daemon, type DaemonClock } from "./cycle.ts";
import { startApiServer } from "../api/server.ts";
import { ApiError, type ApiDeps } from "../api/context.ts";
import { LoginLimiter, Sessions } from "../api/auth.ts";
import { Operations } from "./operations.ts";
import { relaxedPlanCheck } from "./plan-check.ts";
import { ensureUsers, type DemoUser } from "./users.ts";
import { WorkerPlanner } from "./worker-planner.ts";
import type { Planner } from "../control/planner.ts";
import { daemonDepsFrom } from "./wiring.ts";
import { notifySystemd, SystemdNotifier } from "./systemd.ts";
import { sqliteHistory } from "./history-port.ts";
import { resumeFromHistory } from "./resume.ts";
import { daemonForecaster } from "./forecasts.ts";
import { DropFolder } from "../io/drop-folder.ts";

export const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export interface RunningDaemon {
  daemon: Daemon;
  totals: KpiAccumulator;
  health: FastifyInstance;
  history: WritableHistory;
  ops: Operations;
  /** The demo's users and their passwords (made for this run); empty on a real install. */
  demoUsers: DemoUser[];
  log: Logger;
  /** Graceful stop: planning stops, the cycle in flight finishes, setpoints stay on the PLCs, sessions close. */
  stop(): Promise<void>;
}

export interface DaemonRunOptions {
  clock?: DaemonClock;
  /** Logs go here (JSON lines); default stdout. */
  logDestination?: pino.DestinationStream;
  /** Wraps the planner (benchmarks and tests that shape the requests); default the worker planner itself. */
  wrapPlanner?: (p: Planner) => Planner;
  /** Make a viewer, operator, engineer and admin with fresh random passwords (the demo; never on a plant). */
  demoUsers?: boolean;
}

function readTls(cfg: DaemonConfig, field: "cert" | "key", file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InputError(cfg.file, `http.tls.${field}`, `a readable PEM ${field === "cert" ? "certificate" : "private key"} file`, `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Whether `host:port` can be listened on, as an InputError naming the config field otherwise. */
function httpError(cfg: DaemonConfig, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === "EADDRINUSE" ? `port ${cfg.http.port} is already in use` : code === "EADDRNOTAVAIL" ? `${cfg.http.host} is not an address of this machine` : code === "EACCES" ? `no permission to listen on port ${cfg.http.port}` : String((e as Error).message);
  throw new InputError(cfg.file, "http.port", "a free port for the daemon's HTTP API", why);
}

/**
 * Puts the daemon together on the plant's wire: OPC UA in, Modbus out, the planner's thread, the recorder, the
 * health endpoint; then runs the cycle. The HTTP port is taken first, so a port in use is one line and nothing was
 * started. The first OPC UA connection is retried in the background (one log line per new reason): the cycle runs
 * meanwhile, in `safe` while there are no measurements, and heartbeats the PLCs.
 */
export async function runDaemon(cfg: DaemonConfig, o: DaemonRunOptions = {}): Promise<RunningDaemon> {
  const clock = o.clock ?? { nowMs: Date.now, rate: 1 };
  const log = pino({ level: cfg.logLevel, base: { app: "chaleur" } }, o.logDestination ?? pino.destination(1));
  const deps = daemonDepsFrom(cfg);
  // The history first: a file that cannot serve (corrupt, newer, held by another daemon) is one line, and nothing
  // else was started.
  const { prepareOutputDir } = await import("../cli/output-path.ts");
  prepareOutputDir("history.file", dirname(cfg.history.file));
  const history = openWritableHistory(cfg.history.file, { startedWallMs: Date.now(), pid: process.pid, version: VERSION, config: cfg.file, model: cfg.model.name, modelJson: JSON.stringify(cfg.model) }, { rawDays: cfg.history.rawDays, meansDays: cfg.history.meansDays, forecastDays: cfg.history.forecastDays });
  let daemonRef: Daemon | null = null;
  let health: FastifyInstance;
  const ops = new Operations({ model: cfg.model, store: history.ops, nowMs: clock.nowMs, log, criticalTags: [...deps.tags.keys()].filter((t) => t.startsWith("dc.")), grid: deps.control.grid, checkPlan: relaxedPlanCheck(cfg.model) });
  let demoUsers: DemoUser[];
  try {
    // Each start is a (re)load of the config: the audit log says which file and which content ran from when.
    const configSha = createHash("sha256").update(readFileSync(cfg.file)).digest("hex").slice(0, 16);
    ops.audit({ actor: "chaleur", action: "config.load", target: cfg.file, oldValue: null, newValue: `sha256 ${configSha}…, model ${cfg.model.name}, chaleur ${VERSION}`, reason: "daemon start" });
    // The chain's head in the log (shipped off the plant PC by the site's log collection): a rewrite of the history
    // file that recomputes the chain is then caught by `chaleur audit verify --head`.
    const head = history.ops.auditHead();
    if (head) log.info({ event: "audit_head", id: head.id, hash: head.hash }, `audit log head #${head.id} sha256 ${head.hash} (chaleur audit verify --db ${history.file} --head ${head.id}:${head.hash.slice(0, 16)})`);
    demoUsers = await ensureUsers(history.ops, ops, log, { demo: o.demoUsers ?? false, env: process.env });
    const tls = cfg.http.tls ? { cert: readTls(cfg, "cert", cfg.http.tls.certFile), key: readTls(cfg, "key", cfg.http.tls.keyFile) } : null;
    const api: ApiDeps = {
      get daemon() {
        if (!daemonRef) throw new ApiError(503, "chaleur is starting");
        return daemonRef;
      },
      ops,
      store: history.ops,
      reader: history.reader,
      columns: timeseriesColumns(cfg.model),
      sessions: new Sessions(history.ops, cfg.http.sessionH * 3600_000),
      limiter: new LoginLimiter({ maxFailures: cfg.http.loginMaxFailures, windowMs: cfg.http.loginWindowMin * 60_000 }),
      nowMs: clock.nowMs,
      ioPeriodWallMs: (cfg.control.ioPeriodS * 1000) / clock.rate,
      version: VERSION,
      log,
      secure: tls !== null,
    };
    health = await startApiServer(api, { host: cfg.http.host, port: cfg.http.port, tls, allowedHosts: cfg.http.allowedHosts }).catch((e) => httpError(cfg, e));
  } catch (e) {
    history.close();
    throw e;
  }
  // Loaded here: node-opcua takes seconds to import, which the offline commands should not pay.
  const { createOpcuaMeasurementPort } = await import("../io/opcua/client.ts");
  const { modbusSetpointPort } = await import("../io/modbus/client.ts");
  const w = cfg.wire;
  const password = opcuaPassword(w);
  const measurements: PlantMeasurementPort = createOpcuaMeasurementPort(
    {
      endpointUrl: w.opcua.endpoint,
      securityMode: w.opcua.securityMode,
      securityPolicy: w.opcua.securityPolicy,
      ...(w.opcua.username !== undefined && password !== undefined ? { username: w.opcua.username, password } : {}),
      dataDir: w.dataDir,
      autoAcceptServerCertificate: w.opcua.autoAcceptServerCertificate,
      tags: w.opcua.tags,
      ...(w.opcua.forecasts ? { forecasts: w.opcua.forecasts } : {}),
      publishingIntervalMs: w.opcua.publishingIntervalMs,
      reconnectMaxDelayMs: w.opcua.reconnectMaxDelayS * 1000,
    },
    clock.nowMs,
  );
  const setpoints: SetpointPort = modbusSetpointPort(
    cfg.maps.map((map, k) => ({ map, host: w.modbus.plcs[k]!.host, port: w.modbus.plcs[k]!.port })),
    { timeoutMs: w.modbus.timeoutMs },
  );
  const worker = new WorkerPlanner({ model: cfg.model, solver: "highs" });
  const planner = o.wrapPlanner ? o.wrapPlanner(worker) : worker;
  const totals = new KpiAccumulator(cfg.model);
  const nowMs = clock.nowMs();
  const resume = resumeFromHistory(cfg.model, deps.control.heldMaxS, deps.tags, history.reader, nowMs);
  log.info({ event: "history", file: history.file, migration: history.migration, resume: resume.summary }, `history ${history.file} (${history.migration}); ${resume.summary}`);
  // Drop-folder files are read on the wall clock's polls; a rejected file is one warning with its file and line.
  const drop = cfg.forecastSources.dropFolder ? new DropFolder({ dir: cfg.forecastSources.dropFolder, nowMs: clock.nowMs, pollS: cfg.forecastSources.dropPollS, onProblem: (p) => log.warn({ event: "drop_file_rejected", file: p.file, line: p.line, problem: p.message }, p.message) }) : null;
  const forecaster = daemonForecaster({ model: cfg.model, nowMs, seed: (tag, fromMs, toMs) => history.reader.hourlyMeans(tag, fromMs, toMs), ...(drop ? { drop } : {}) });
  const daemon = new Daemon({ ...deps, measurements, setpoints, planner, recorder: totals, history: sqliteHistory(history), resume, forecaster, overrides: ops, clock, log });
  daemonRef = daemon;
  // After each cycle, overrides that ran out leave and alarms follow the plant; a failure here never stops control.
  let seenCycles = 0;
  const opsSub = daemon.status$.subscribe((s) => {
    if (s.cycles === seenCycles) return;
    seenCycles = s.cycles;
    try {
      ops.afterCycle(s, daemon.samples);
    } catch (e) {
      log.error({ event: "operations_failed", error: (e as Error).message }, `alarms/overrides housekeeping failed: ${(e as Error).message}`);
    }
  });
  // systemd (Type=notify): READY after the first cycle, WATCHDOG after each, STATUS on mode changes.
  const systemd = new SystemdNotifier({ log });
  const systemdSub = notifySystemd(daemon.status$, systemd);
  log.info({ event: "start", version: VERSION, config: cfg.file, model: cfg.model.name, opcua: w.opcua.endpoint, plcs: cfg.maps.map((m) => m.plc), http: `${cfg.http.host}:${cfg.http.port}` }, `chaleur ${VERSION} daemon starting: ${cfg.model.name}, OPC UA ${w.opcua.endpoint}, PLCs ${cfg.maps.map((m) => m.plc).join(", ")}, HTTP ${cfg.http.host}:${cfg.http.port}`);
  let stopping = false;
  let wake: () => void = () => undefined;
  const connecting = (async () => {
    let lastWhy = "";
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await measurements.connect();
        log.info({ event: "opcua_connected", endpoint: w.opcua.endpoint }, `OPC UA connected to ${w.opcua.endpoint}`);
        // A cycle at once, not an I/O period later: a restarting daemon's first write comes sooner.
        daemon.kick();
        return;
      } catch (e) {
        const why = (e as Error).message;
        if (why !== lastWhy) log.error({ event: "opcua_connect_failed", error: why }, `${why} (retrying)`);
        lastWhy = why;
        await new Promise<void>((r) => {
          const t = setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
      }
    }
  })();
  drop?.start();
  daemon.start();
  return {
    daemon,
    totals,
    health,
    history,
    ops,
    demoUsers,
    log,
    async stop() {
      systemdSub.unsubscribe();
      opsSub.unsubscribe();
      await systemd.stopping();
      stopping = true;
      wake();
      log.info({ event: "stopping" }, "stopping: finishing the cycle in flight; the PLCs keep the last setpoints, their watchdogs take over if chaleur stays down");
      drop?.stop();
      await daemon.stop();
      await health.close();
      await measurements.close();
      await setpoints.close();
      await connecting.catch(() => undefined);
      history.close();
      log.info({ event: "stopped" }, "stopped");
    },
  };
}

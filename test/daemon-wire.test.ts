import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import pino from "pino";
import { loadDaemonConfig, type DaemonConfig } from "../src/config/daemon-config.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { runDaemon, type RunningDaemon } from "../src/daemon/run.ts";
import { freePort } from "../src/io/free-port.ts";
import type { PlanStore } from "../src/control/plan-store.ts";
import type { DaemonStatus } from "../src/daemon/cycle.ts";

/**
 * The daemon on the real wire: sim-plant's OPC UA server (SignAndEncrypt, a user) and three Modbus TCP PLCs on
 * loopback, both in this process so that the PLCs' registers can be compared with the plan after every cycle. The
 * plant runs at 720× (12 simulated hours in a minute), the daemon on its clock with a 1-min I/O period (83 ms wall).
 */
const SPEED = 720;
const HOURS = 12;
let plant: SimPlant;
let running: RunningDaemon;
let cfg: DaemonConfig;
const dir = mkdtempSync(join(tmpdir(), "chaleur-daemon-wire-"));
const checks: { status: DaemonStatus; problems: string[]; wallMs: number }[] = [];
const plans = new Map<number, PlanStore>();

beforeAll(async () => {
  setLogLevel(LogLevel.Error);
  cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  process.env.CHALEUR_OPCUA_PASSWORD = "wire-test";
  plant = await startSimPlant({ model: cfg.model, plcMaps: cfg.maps, opcuaPort: 0, modbusPort: 0, speed: SPEED, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "wire-test" }], autoAcceptCertificates: true, tickMs: 50, sourceTime: "plant" });
  // Ages are in plant time: at 720× a 50-ms publishing interval is 36 plant seconds.
  cfg.wire = {
    ...cfg.wire,
    dataDir: join(dir, "daemon"),
    opcua: { ...cfg.wire.opcua, endpoint: plant.opcua.endpointUrl, publishingIntervalMs: 50, tags: cfg.wire.opcua.tags.map((t) => ({ ...t, maxAgeS: 1200 })) },
    modbus: { ...cfg.wire.modbus, plcs: plant.plcs.map((p) => ({ mapFile: "", host: "127.0.0.1", port: p.server.port })) },
  };
  cfg.history = { ...cfg.history, file: join(dir, "daemon", "history.sqlite") };
  // Re-planned every 30 plant min (2.5 s wall): at 720× a 15-min period is 1.25 s of wall clock, less than a solve
  // may take while the rest of the test suite loads the machine, and the daemon would rightly call the plan overdue.
  cfg.control = { ...cfg.control, ioPeriodS: 60, replanS: 1800 };
  cfg.http = { ...cfg.http, host: "127.0.0.1", port: await freePort() };
  running = await runDaemon(cfg, { clock: { nowMs: () => plant.plantNowMs(), rate: SPEED }, logDestination: pino.destination({ dest: join(dir, "daemon.log"), sync: true }) });
  running.daemon.plans$.subscribe((p) => plans.set(p.madeAtMs, p));
  // After every cycle: what the PLCs act on, against the step of the plan the cycle followed, found here by time.
  running.daemon.status$.subscribe((s) => {
    if (s.cycles === 0 || checks.length >= s.cycles) return;
    const problems: string[] = [];
    const store = s.followedPlanMadeAtMs === null ? undefined : plans.get(s.followedPlanMadeAtMs);
    const step = store?.plan?.steps.find((x) => s.plantTimeMs >= x.timeMs && s.plantTimeMs < x.timeMs + x.durationS * 1000);
    const hp = plant.plcs[0]!.logic.effective();
    const sub = plant.plcs[1]!.logic.effective();
    if (!step) problems.push("no plan step covers the cycle's time");
    else {
      step.hps.forEach((h, i) => {
        const set = hp[`${h.id}_heat_setpoint_kw`]!;
        if (hp[`${h.id}_enable`] !== (h.on ? 1 : 0)) problems.push(`${h.id} enable ${hp[`${h.id}_enable`]} vs plan ${h.on}`);
        if (set < Math.fround(h.heatKw) - 1e-3 || set > Math.min(cfg.model.heatPumps[i]!.heatMaxKw, h.heatKw + 0.03 * step.itHeatKw) + 1e-3) problems.push(`${h.id} heat ${set} vs plan ${h.heatKw}`);
      });
      if (Math.abs(sub.dh_sold_setpoint_kw! - step.dhSoldKw) > 0.01) problems.push(`sold ${sub.dh_sold_setpoint_kw} vs plan ${step.dhSoldKw}`);
    }
    if (plant.plcs.some((p) => p.logic.inSafeMode())) problems.push("a PLC in watchdog safe mode");
    const fw = plant.live.observation().fwSupplyTempC;
    if (fw > cfg.model.facilityWater.supplyLimitC) problems.push(`facility water ${fw} °C above its limit`);
    checks.push({ status: s, problems, wallMs: performance.now() });
  });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await plant?.stop();
});

describe("the daemon against sim-plant over loopback sockets", () => {
  it(`${HOURS} simulated hours: every cycle optimal on the plan step in force, cooling held, no cycle late`, { timeout: 240_000 }, async () => {
    const startMs = plant.plantNowMs();
    while (plant.plantNowMs() - startMs < HOURS * 3600_000) await new Promise((r) => setTimeout(r, 500));
    // One cycle per simulated minute, a few lost to start-up and, on a loaded machine, ticks dropped while a cycle
    // ran long (by design: a slow cycle never queues others); lateness itself is checked below.
    expect(checks.length).toBeGreaterThanOrEqual(HOURS * 60 * 0.8);
    expect(checks.filter((c) => c.status.mode !== "optimal").map((c) => `${c.status.mode}: ${c.status.modeCause}`)).toEqual([]);
    expect(checks.flatMap((c) => c.problems.map((p) => `${new Date(c.status.plantTimeMs).toISOString()} ${p}`))).toEqual([]);
    // No cycle later than its period + 1 s (wall): the timer's period is 60 plant s = 83 ms.
    const periodWallMs = (60 * 1000) / SPEED;
    const gaps = checks.slice(1).map((c, i) => c.wallMs - checks[i]!.wallMs);
    expect(Math.max(...gaps)).toBeLessThan(periodWallMs + 1000);
    expect(plans.size).toBeGreaterThanOrEqual(HOURS * 2);
    const log = readFileSync(join(dir, "daemon.log"), "utf8");
    expect(log).not.toMatch(/"event":"(write_failed|plan_failed|cycle_error)"/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { LogLevel, setLogLevel } from "node-opcua";
import { loadModel } from "../src/config/plant-model.ts";
import { loadPlcMap } from "../src/config/plc-schema.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { freePort } from "../src/io/free-port.ts";
import { createRng } from "../src/physics/random.ts";
import { demoConfigFile } from "./demo-config.ts";

/**
 * Crash safety of the history (issue: "a row committed is never lost"): the daemon, a real process on a real
 * plant simulator, is killed with SIGKILL at random moments — during start-up, migration, its first plan, or
 * mid-cycle — 20 times. Before each kill the test reads what is committed (a WAL reader beside the writer); after
 * it, every one of those rows is still there and the file passes PRAGMA integrity_check; each restart takes over
 * the plan in force (its first cycle follows the plan the history holds).
 */
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-crash-"));
const KILLS = 20;


interface Committed {
  cycles: Set<number>;
  plans: Set<number>;
  lastPlanMadeAtMs: number | null;
  lastRunId: number;
}

/** What the history holds now, read beside the running daemon (empty before the file exists). */
function committed(file: string): Committed {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return { cycles: new Set(), plans: new Set(), lastPlanMadeAtMs: null, lastRunId: 0 };
  }
  try {
    const has = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'cycles'").get() as { n: number };
    if (!has.n) return { cycles: new Set(), plans: new Set(), lastPlanMadeAtMs: null, lastRunId: 0 };
    const cycles = new Set((db.prepare("SELECT time_ms FROM cycles").all() as { time_ms: number }[]).map((r) => r.time_ms));
    const plans = new Set((db.prepare("SELECT id FROM plans").all() as { id: number }[]).map((r) => r.id));
    const last = db.prepare("SELECT made_at_ms FROM plans WHERE schedule IS NOT NULL ORDER BY made_at_ms DESC, id DESC LIMIT 1").get() as { made_at_ms: number } | undefined;
    const run = db.prepare("SELECT max(id) AS id FROM runs").get() as { id: number | null };
    return { cycles, plans, lastPlanMadeAtMs: last?.made_at_ms ?? null, lastRunId: run.id ?? 0 };
  } finally {
    db.close();
  }
}

/** Whether a run newer than afterRunId has committed a cycle. */
function firstCycleOf(file: string, afterRunId: number): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM cycles WHERE run_id > ? LIMIT 1").get(afterRunId) !== undefined;
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the history survives SIGKILL", () => {
  let plant: SimPlant;
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    setLogLevel(LogLevel.Error);
    const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(join(root, "plc", `${n}.yaml`)));
    plant = await startSimPlant({ model: loadModel(join(root, "models/paris-chapelle.yaml")), plcMaps: maps, opcuaPort: 0, modbusPort: 0, speed: 1, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "crash-test" }], autoAcceptCertificates: true, tickMs: 250 });
  }, 60_000);
  afterAll(async () => {
    child?.kill("SIGKILL");
    await plant?.stop();
  });

  it(`${KILLS} kills at random moments: no committed row lost, integrity ok, each restart resumes the plan in force`, { timeout: 400_000 }, async () => {
    const port = Number(new URL(plant.opcua.endpointUrl.replace("opc.tcp:", "http:")).port);
    const f = demoConfigFile(dir, "daemon", { opcuaPort: port, modbusPorts: plant.plcs.map((p) => p.server.port), httpPort: await freePort(), ioPeriodS: 1 });
    const db = join(dir, "daemon", "history.sqlite");
    const rng = createRng(20261130);
    let resumedRuns = 0;
    for (let k = 0; k <= KILLS; k++) {
      const before = committed(db);
      child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "daemon", "--config", f], { cwd: root, env: { ...process.env, CHALEUR_OPCUA_PASSWORD: "crash-test" }, stdio: "ignore" });
      const exited = new Promise((r) => child!.once("exit", r));
      if (k === 0) {
        // The first run lives until it has a plan and some cycles committed: there is something to lose.
        for (let i = 0; i < 240 && (committed(db).lastPlanMadeAtMs === null || committed(db).cycles.size < 5); i++) await sleep(250);
      } else if (k % 4 === 0) {
        // Every fourth run lives until its first cycle is committed (however slow the machine), then a little more:
        // these runs must show the take-over whatever the load.
        for (let i = 0; i < 240 && !firstCycleOf(db, before.lastRunId); i++) await sleep(250);
        await sleep(rng.next() * 1000);
      } else await sleep(500 + rng.next() * 5500);
      const seen = committed(db);
      child.kill("SIGKILL");
      await exited;
      const after = new Database(db, { readonly: true, fileMustExist: true });
      try {
        expect(after.pragma("integrity_check", { simple: true })).toBe("ok");
        const cycles = new Set((after.prepare("SELECT time_ms FROM cycles").all() as { time_ms: number }[]).map((r) => r.time_ms));
        const plans = new Set((after.prepare("SELECT id FROM plans").all() as { id: number }[]).map((r) => r.id));
        for (const t of seen.cycles) expect(cycles.has(t), `cycle ${t} committed before kill ${k}`).toBe(true);
        for (const id of seen.plans) expect(plans.has(id), `plan ${id} committed before kill ${k}`).toBe(true);
        // This run's first cycle followed the plan the history held when it started (taken over, not re-made).
        const run = after.prepare("SELECT max(id) AS id FROM runs").get() as { id: number | null };
        const first = after.prepare("SELECT mode, plan_made_at_ms FROM cycles WHERE run_id = ? ORDER BY time_ms LIMIT 1").get(run.id) as { mode: string; plan_made_at_ms: number | null } | undefined;
        // (A run killed before it wrote its start has no row: the newest run is then an earlier one.)
        if (k > 0 && (run.id ?? 0) > before.lastRunId && before.lastPlanMadeAtMs !== null && first) {
          if (first.mode !== "safe") expect(first.plan_made_at_ms, `run after kill ${k - 1}`).toBe(before.lastPlanMadeAtMs);
          if (first.plan_made_at_ms === before.lastPlanMadeAtMs) resumedRuns++;
        }
      } finally {
        after.close();
      }
    }
    // At least the runs that were let live to their first cycle took the plan over.
    expect(resumedRuns).toBeGreaterThanOrEqual(KILLS / 4 - 1);
    // Rows were there to lose: the first run's five cycles and a cycle of each run let live to one, at least.
    expect(committed(db).cycles.size).toBeGreaterThanOrEqual(5 + KILLS / 4);
  });
});

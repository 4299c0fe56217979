import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { FastifyInstance } from "fastify";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { openWritableHistory, type WritableHistory } from "../src/store/history.ts";
import { Operations } from "../src/daemon/operations.ts";
import { startApiServer } from "../src/api/server.ts";
import { LoginLimiter, Sessions, hashPassword } from "../src/api/auth.ts";
import type { ApiDeps } from "../src/api/context.ts";
import { freePort } from "../src/io/free-port.ts";
import { ROLES, type Role } from "../src/ops/roles.ts";
import type { Planner } from "../src/control/planner.ts";
import { makeRig, type Rig } from "./daemon-rig.ts";
import type { InProcessPlant } from "../src/sim/in-process-plant.ts";
import type { DaemonDeps } from "../src/daemon/cycle.ts";
import { timeseriesColumns } from "../src/report/record.ts";
import { sqliteHistory } from "../src/daemon/history-port.ts";
import { daemonDepsFrom } from "../src/daemon/wiring.ts";
import { relaxedPlanCheck } from "../src/daemon/plan-check.ts";

/**
 * The API over a real loopback socket, in front of the daemon's core stepped by hand against the in-process
 * simulated plant (daemon-rig.ts), with the operators' store in a real SQLite history. One user per role.
 */
export const PASSWORD = "correct horse battery staple";

export interface ApiRig {
  rig: Rig;
  history: WritableHistory;
  ops: Operations;
  url: string;
  app: FastifyInstance;
  /** Runs n cycles of the daemon, each followed by the operators' housekeeping (as runDaemon does). */
  cycles(n: number): Promise<void>;
  /** A fetch to the API; JSON in and out. */
  call(method: string, path: string, o?: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: Auth }): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  login(role: Role): Promise<Auth>;
  bearer(role: Role): Promise<Auth>;
  /** Closes the server and the history; with keepFiles the directory stays for a restart. */
  close(keepFiles?: boolean): Promise<void>;
  dir: string;
}

export interface Auth {
  cookie?: string;
  csrf?: string;
  token?: string;
}

export async function makeApiRig(o: { planner?: Planner; dir?: string; maxFailures?: number; tls?: { cert: Buffer; key: Buffer }; checkPlan?: boolean; deps?: (plant: InProcessPlant) => Partial<DaemonDeps> } = {}): Promise<ApiRig> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "chaleur-api-"));
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const history = openWritableHistory(join(dir, "history.sqlite"), { startedWallMs: Date.now(), pid: process.pid, version: "test", config: cfg.file, model: cfg.model.name });
  const log = pino({ level: "silent" });
  let opsRef: Operations | null = null;
  // The rig makes its daemon before the operations exist: the source looks them up at each cycle.
  const rig = await makeRig(o.planner, (_now, plant) => ({ ...o.deps?.(plant), overrides: { pending: (t: number) => opsRef?.pending(t) ?? [], planned: (t, r) => opsRef?.planned(t, r) }, history: sqliteHistory(history) }));
  const ops = new Operations({ model: cfg.model, store: history.ops, nowMs: rig.nowMs, log, criticalTags: ["dc.it_heat_kw"], grid: daemonDepsFrom(cfg).control.grid, ...(o.checkPlan ? { checkPlan: relaxedPlanCheck(cfg.model) } : {}) });
  opsRef = ops;
  if (history.ops.users().length === 0) {
    const hash = await hashPassword(PASSWORD);
    for (const r of ROLES) history.ops.putUser(r, r, hash, Date.now());
  }
  const deps: ApiDeps = {
    get daemon() {
      return rig.daemon;
    },
    ops,
    store: history.ops,
    reader: history.reader,
    columns: timeseriesColumns(cfg.model),
    sessions: new Sessions(history.ops, 3600_000),
    limiter: new LoginLimiter({ maxFailures: o.maxFailures ?? 5, windowMs: 15 * 60_000 }),
    nowMs: rig.nowMs,
    ioPeriodWallMs: 10_000,
    version: "test",
    log,
    secure: o.tls !== undefined,
  };
  const port = await freePort();
  const app = await startApiServer(deps, { host: "127.0.0.1", port, tls: o.tls ?? null });
  const url = `${o.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const call: ApiRig["call"] = async (method, path, c = {}) => {
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    if (c.body !== undefined || c.raw !== undefined) headers["content-type"] ??= "application/json";
    if (c.auth?.cookie) headers.cookie = c.auth.cookie;
    if (c.auth?.csrf) headers["x-csrf-token"] = c.auth.csrf;
    if (c.auth?.token) headers.authorization = `Bearer ${c.auth.token}`;
    const res = await fetch(url + path, { method, headers, ...(c.raw !== undefined ? { body: c.raw } : c.body !== undefined ? { body: JSON.stringify(c.body) } : {}) });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  return {
    rig,
    history,
    ops,
    url,
    app,
    dir,
    call,
    async cycles(n: number) {
      for (let k = 0; k < n; k++) {
        await rig.cycle();
        ops.afterCycle(rig.daemon.status$.value, rig.daemon.samples);
      }
    },
    async login(role: Role) {
      const r = await call("POST", "/api/login", { body: { username: role, password: PASSWORD } });
      if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${r.text}`);
      const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!;
      return { cookie, csrf: r.body.csrf_token as string };
    },
    async bearer(role: Role) {
      const r = await call("POST", "/api/login", { body: { username: role, password: PASSWORD, bearer: true } });
      if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${r.text}`);
      return { token: r.body.token as string };
    },
    async close(keepFiles = false) {
      await app.close();
      await rig.close();
      history.close();
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a simulated PLC's register holds now (read from the PLC, not from the daemon's own account). */
export function register(a: ApiRig, name: string): number {
  for (const plc of a.rig.plant.plcs.values()) {
    const regs = plc.effective();
    if (name in regs) return regs[name]!;
  }
  throw new Error(`no register ${name}`);
}

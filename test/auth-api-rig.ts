import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { openWritableHistory, type WritableHistory } from "../src/store/history.ts";
import { Operations } from "../src/daemon/operations.ts";
import { startApiServer } from "../src/api/server.ts";
import { LoginLimiter, Sessions, hashPassword } from "../src/api/auth.ts";
import type { ApiDeps } from "../src/api/context.ts";
import { freePort } from "../src/io/free-port.ts";
import { ROLES } from "../src/ops/roles.ts";
import { PASSWORD } from "./api-rig.ts";

/**
 * The API's login, logout, users and override routes without a running daemon (they need none): a real SQLite
 * history, one user per role (password PASSWORD), and the login limiter on a clock the test moves by hand, so a
 * 60-second delay is tested without waiting for it. Requests go through fastify's inject with any client address
 * (`ip`), or over loopback at `url` (for the CLI).
 */
export interface AuthRig {
  app: FastifyInstance;
  history: WritableHistory;
  ops: Operations;
  url: string;
  /** Moves the limiter's clock forward. */
  advance(ms: number): void;
  call(method: string, path: string, o?: { body?: unknown; ip?: string; token?: string }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** A bearer token for a user (from 127.0.0.9, an address no test counts on). */
  bearer(username: string): Promise<string>;
  /** Bearer sessions the daemon holds now. */
  bearerSessions(): number;
  close(): Promise<void>;
}

export async function makeAuthRig(o: { maxFailures?: number } = {}): Promise<AuthRig> {
  const dir = mkdtempSync(join(tmpdir(), "chaleur-auth-"));
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const history = openWritableHistory(join(dir, "history.sqlite"), { startedWallMs: Date.now(), pid: process.pid, version: "test", config: cfg.file, model: cfg.model.name });
  const log = pino({ level: "silent" });
  const ops = new Operations({ model: cfg.model, store: history.ops, nowMs: Date.now, log, criticalTags: [], grid: [] });
  const hash = await hashPassword(PASSWORD);
  for (const r of ROLES) history.ops.putUser(r, r, hash, Date.now());
  let offsetMs = 0;
  const deps: ApiDeps = {
    // The routes under test never reach the daemon but clearing an override, which wakes it.
    daemon: { kick: () => undefined } as unknown as ApiDeps["daemon"],
    ops,
    store: history.ops,
    reader: history.reader,
    columns: [],
    sessions: new Sessions(history.ops, 3600_000),
    limiter: new LoginLimiter({ maxFailures: o.maxFailures ?? 5, windowMs: 15 * 60_000, nowMs: () => Date.now() + offsetMs }),
    nowMs: Date.now,
    ioPeriodWallMs: 10_000,
    version: "test",
    log,
    secure: false,
  };
  const port = await freePort();
  const app = await startApiServer(deps, { host: "127.0.0.1", port, tls: null });
  const call: AuthRig["call"] = async (method, path, c = {}) => {
    const r = await app.inject({
      method: method as "GET",
      url: path,
      remoteAddress: c.ip ?? "127.0.0.1",
      headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...(c.body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(c.body !== undefined ? { payload: JSON.stringify(c.body) } : {}),
    });
    let body: unknown = null;
    try {
      body = JSON.parse(r.body);
    } catch {
      body = null;
    }
    return { status: r.statusCode, body, headers: r.headers };
  };
  return {
    app,
    history,
    ops,
    url: `http://127.0.0.1:${port}`,
    call,
    advance(ms) {
      offsetMs += ms;
    },
    async bearer(username) {
      const r = await call("POST", "/api/login", { body: { username, password: PASSWORD, bearer: true }, ip: "127.0.0.9" });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    bearerSessions() {
      // The store has no listing of sessions (nothing but this test needs one): a second, read-only connection.
      const db = new Database(history.file, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM sessions WHERE kind = 'bearer'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async close() {
      await app.close();
      history.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


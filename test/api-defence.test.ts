import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import { request } from "node:http";
import pino from "pino";
import type { FastifyInstance } from "fastify";
import { makeApiRig, PASSWORD, type ApiRig } from "./api-rig.ts";
import { startApiServer, type ApiServerOptions } from "../src/api/server.ts";
import { LoginLimiter, Sessions } from "../src/api/auth.ts";
import type { ApiDeps } from "../src/api/context.ts";
import { freePort } from "../src/io/free-port.ts";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { timeseriesColumns } from "../src/report/record.ts";

/**
 * The server against hostile browsers and clients, over real loopback sockets: a Host that is not one of its
 * names (DNS rebinding), a cross-site write with the session cookie, a client trickling its request, and more
 * connections than it takes. Timeouts are shortened to a second for the test; every wait is bounded.
 */
let a: ApiRig;
const extra: FastifyInstance[] = [];

beforeAll(async () => {
  a = await makeApiRig();
  await a.cycles(2);
}, 120_000);
afterAll(async () => {
  for (const s of extra) await s.close();
  await a?.close();
});

/** A second server over the rig's daemon and store, with options of its own. */
async function serverWith(o: Partial<ApiServerOptions>): Promise<{ port: number; app: FastifyInstance }> {
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const deps: ApiDeps = {
    get daemon() {
      return a.rig.daemon;
    },
    ops: a.ops,
    store: a.history.ops,
    reader: a.history.reader,
    columns: timeseriesColumns(cfg.model),
    sessions: new Sessions(a.history.ops, 3600_000),
    limiter: new LoginLimiter({ maxFailures: 5, windowMs: 15 * 60_000 }),
    nowMs: a.rig.nowMs,
    ioPeriodWallMs: 10_000,
    version: "test",
    log: pino({ level: "silent" }),
    secure: false,
  };
  const port = await freePort();
  const app = await startApiServer(deps, { host: "127.0.0.1", port, tls: null, ...o });
  extra.push(app);
  return { port, app };
}

/** One request with whatever headers (fetch will not send a Host of our choosing). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((ok, fail) => {
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const req = request({ host: "127.0.0.1", port, method, path, headers: { ...headers, ...length }, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const port = () => Number(new URL(a.url).port);

/** Resolves when the socket closes, or with "open" after `boundMs`. */
const closedWithin = (s: Socket, boundMs: number) =>
  new Promise<"closed" | "open">((ok) => {
    if (s.destroyed) return ok("closed");
    const t = setTimeout(() => ok("open"), boundMs);
    s.once("close", () => (clearTimeout(t), ok("closed")));
  });

const opened = (p: number) =>
  new Promise<Socket>((ok, fail) => {
    const s = connect({ host: "127.0.0.1", port: p }, () => ok(s));
    s.on("error", () => {}); // a socket the server drops may reset
    s.once("error", fail);
  });

describe("Host allow-list (DNS rebinding)", () => {
  it("answers the loopback names it is bound to and refuses any other Host with 421 and one line", async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`, "LOCALHOST"]) {
      expect([host, (await raw(port(), "GET", "/api/health", { host })).status]).toEqual([host, 200]);
    }
    for (const host of [`evil.example:${port()}`, "evil.example", `127.0.0.1.evil.example:${port()}`, `10.1.2.3:${port()}`]) {
      const r = await raw(port(), "GET", "/api/health", { host });
      expect([host, r.status]).toEqual([host, 421]);
      expect(JSON.parse(r.text).error).toMatch(/^Host '.*' is not a name of this server/);
    }
    // The HMI's own files too (a rebinding page would read them as same-origin).
    expect((await raw(port(), "GET", "/", { host: "evil.example" })).status).toBe(421);
  });

  it("an HTTP/1.0 request without a Host is refused", async () => {
    const s = await opened(port());
    let text = "";
    s.on("data", (c) => (text += c));
    s.write("GET /api/health HTTP/1.0\r\n\r\n");
    expect(await closedWithin(s, 10_000)).toBe("closed");
    expect(text).toMatch(/^HTTP\/1\.1 421 /);
  });

  it("answers the names it is given (allowedHosts), still not others", async () => {
    const { port: p } = await serverWith({ allowedHosts: ["hmi.plant.example", "10.20.0.5"] });
    expect((await raw(p, "GET", "/api/health", { host: `hmi.plant.example:${p}` })).status).toBe(200);
    expect((await raw(p, "GET", "/api/health", { host: "HMI.Plant.Example." })).status).toBe(200);
    expect((await raw(p, "GET", "/api/health", { host: "10.20.0.5" })).status).toBe(200);
    expect((await raw(p, "GET", "/api/health", { host: "other.plant.example" })).status).toBe(421);
  });
});

describe("Origin on writes with the session cookie", () => {
  it("refuses a cross-site Origin (403) but not this server's, none, or a bearer token's", async () => {
    const op = await a.login("operator");
    const headers = { host: `127.0.0.1:${port()}`, cookie: op.cookie!, "x-csrf-token": op.csrf!, "content-type": "application/json" };
    const body = JSON.stringify({ reason: "origin test" });
    // A write that reaches its route answers 404 (no override 999 exists); one refused at the door answers 403.
    for (const origin of ["http://evil.example", `http://evil.example:${port()}`, "null", `http://localhost:${port()}`, `http://127.0.0.1:${port() + 1}`]) {
      const r = await raw(port(), "DELETE", "/api/overrides/999", { ...headers, origin }, body);
      expect([origin, r.status]).toEqual([origin, 403]);
      expect(JSON.parse(r.text).error).toMatch(/^Origin '.*' is not this server/);
    }
    expect((await raw(port(), "DELETE", "/api/overrides/999", { ...headers, origin: `http://127.0.0.1:${port()}` }, body)).status).toBe(404);
    expect((await raw(port(), "DELETE", "/api/overrides/999", headers, body)).status).toBe(404);
    const tok = await a.bearer("operator");
    expect((await raw(port(), "DELETE", "/api/overrides/999", { host: `127.0.0.1:${port()}`, authorization: `Bearer ${tok.token}`, origin: "http://evil.example", "content-type": "application/json" }, body)).status).toBe(404);
    // Reads are not concerned (the cookie is SameSite=Strict, and a foreign page cannot read the answer).
    expect((await raw(port(), "GET", "/api/state", { host: `127.0.0.1:${port()}`, cookie: op.cookie!, origin: "http://evil.example" })).status).toBe(200);
  });
});

describe("timeouts and the connection cap", () => {
  const SHORT = { requestTimeoutMs: 1000, headersTimeoutMs: 1000, checkIntervalMs: 200 };

  it("a client sending its body a byte at a time is cut (408) within a bound", async () => {
    const { port: p } = await serverWith({ limits: SHORT });
    const s = await opened(p);
    let text = "";
    s.on("data", (c) => (text += c));
    s.write(`POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{`);
    const drip = setInterval(() => !s.destroyed && s.write(" "), 250);
    try {
      expect(await closedWithin(s, 15_000)).toBe("closed");
    } finally {
      clearInterval(drip);
    }
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a client sending its headers a line at a time is cut within a bound", async () => {
    const { port: p } = await serverWith({ limits: SHORT });
    const s = await opened(p);
    s.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n`);
    let n = 0;
    const drip = setInterval(() => !s.destroyed && s.write(`x-slow-${n++}: 1\r\n`), 250);
    try {
      expect(await closedWithin(s, 15_000)).toBe("closed");
    } finally {
      clearInterval(drip);
    }
  });

  it("the event stream outlives the request timeout: it still gets a cycle's state after three timeouts", async () => {
    const { port: p } = await serverWith({ limits: SHORT });
    const login = await fetch(`http://127.0.0.1:${p}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "viewer", password: PASSWORD }) });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    let text = "";
    let closed = false;
    const req = request({ host: "127.0.0.1", port: p, path: "/api/events", headers: { cookie }, agent: false });
    const responded = new Promise<void>((ok, fail) => {
      req.on("response", (res) => {
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("close", () => (closed = true));
        ok();
      });
      req.on("error", fail);
    });
    req.end();
    await responded;
    const until = async (re: RegExp, boundMs: number) => {
      for (const t0 = Date.now(); !re.test(text) && Date.now() - t0 < boundMs; ) await new Promise((r) => setTimeout(r, 50));
      return re.test(text);
    };
    expect(await until(/event: state\n/, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 3 * SHORT.requestTimeoutMs + 2 * SHORT.checkIntervalMs));
    expect(closed).toBe(false);
    text = "";
    await a.cycles(1);
    expect(await until(/event: state\n/, 10_000)).toBe(true);
    req.destroy();
  });

  it("connections past the cap are closed as they arrive; those within it keep working", async () => {
    const { port: p, app } = await serverWith({ limits: { maxConnections: 4 } });
    const held: Socket[] = [];
    for (let i = 0; i < 4; i++) held.push(await opened(p));
    const count = () => new Promise<number>((ok) => app.server.getConnections((_e, n) => ok(n)));
    for (const t0 = Date.now(); (await count()) < 4 && Date.now() - t0 < 10_000; ) await new Promise((r) => setTimeout(r, 20));
    expect(await count()).toBe(4);
    const over: Socket[] = [];
    for (let i = 0; i < 4; i++) over.push(await opened(p));
    const fates = await Promise.all(over.map((s) => closedWithin(s, 10_000)));
    expect(fates).toEqual(["closed", "closed", "closed", "closed"]);
    // A held one still answers.
    let text = "";
    held[0]!.on("data", (c) => (text += c));
    held[0]!.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nConnection: close\r\n\r\n`);
    expect(await closedWithin(held[0]!, 10_000)).toBe("closed");
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    for (const s of held) s.destroy();
  });
});

describe("the daemon config's http.allowed_hosts", () => {
  it("defaults to none and takes host names (what runDaemon hands startApiServer as allowedHosts)", async () => {
    const { daemonSchema } = await import("../src/config/daemon-config.ts");
    expect(loadDaemonConfig("config/chaleur-demo.yaml").http.allowedHosts).toEqual([]);
    const http = daemonSchema.shape.http;
    expect(http.parse({ allowed_hosts: ["hmi.chapelle.local"] }).allowed_hosts).toEqual(["hmi.chapelle.local"]);
    expect(http.safeParse({ allowed_hosts: [3] }).success).toBe(false);
    expect(http.safeParse({ allowed_hosts: "hmi" }).success).toBe(false);
  });
});

describe("stopping the server", () => {
  it("ends the open event streams instead of waiting for their browsers (a daemon stop under an open HMI)", async () => {
    const s = await serverWith({});
    const tok = await a.bearer("viewer");
    const ctl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${s.port}/api/events`, { headers: { authorization: `Bearer ${tok.token}` }, signal: ctl.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const t0 = performance.now();
    await s.app.close();
    const closeMs = performance.now() - t0;
    // The stream is ended by the server: the reader sees its end (or a reset), without the test aborting it.
    const end = await Promise.race([reader.read().then((r) => (r.done ? "ended" : "data"), () => "reset"), new Promise((ok) => setTimeout(() => ok("open"), 10_000))]);
    ctl.abort();
    expect(["ended", "reset"]).toContain(end);
    // Far under the event stream's keep-alive and any stop timeout (systemd's 30 s).
    expect(closeMs).toBeLessThan(10_000);
  });
});

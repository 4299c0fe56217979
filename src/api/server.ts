import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import { healthBody } from "../daemon/health.ts";
import { OverrideRefusal } from "../ops/overrides.ts";
import { AlarmActionError } from "../ops/alarms.ts";
import { ApiError, sendError, type ApiDeps } from "./context.ts";
import { registerReadRoutes } from "./routes-read.ts";
import { registerWriteRoutes } from "./routes-write.ts";
import { registerAuthRoutes } from "./routes-auth.ts";
import { openApiDocument } from "./openapi.ts";
import { registerGuards } from "./guards.ts";

/** Bodies above this are refused with 413 before they are parsed (the largest real one is under 1 kB). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

// The HMI's files stay in the sources (plain JavaScript, no build step): the same folder from src/ and from dist/.
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "hmi", "static");
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png" };
// The HMI works with no internet: nothing from a CDN, and the page may load nothing from elsewhere.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** The HMI's files and uPlot, read once (a few hundred kB). */
function staticFiles(): Map<string, { type: string; body: Buffer }> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else files.set(`/hmi/${prefix}${name}`, { type: TYPES[extname(name)] ?? "application/octet-stream", body: readFileSync(p) });
    }
  };
  if (existsSync(STATIC_DIR)) walk(STATIC_DIR, "");
  const uplot = dirname(createRequire(import.meta.url).resolve("uplot/dist/uPlot.iife.min.js"));
  files.set("/vendor/uPlot.iife.min.js", { type: TYPES[".js"]!, body: readFileSync(join(uplot, "uPlot.iife.min.js")) });
  files.set("/vendor/uPlot.min.css", { type: TYPES[".css"]!, body: readFileSync(join(uplot, "uPlot.min.css")) });
  return files;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  tls: { cert: Buffer; key: Buffer } | null;
  /** Names the server answers to besides the bound address, loopback (when bound) and the machine's name (guards.ts). */
  allowedHosts?: readonly string[];
  limits?: Partial<HttpLimits>;
}

/**
 * What one client may hold of the server. Without them a client sending a body one byte every 10 s held its
 * connection for as long as it liked, and 400 such clients held 800 file descriptors.
 */
export interface HttpLimits {
  /** Receiving a whole request, headers and body (the largest is under 1 kB): then 408 and closed. */
  requestTimeoutMs: number;
  /** Receiving the headers (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveTimeoutMs: number;
  /**
   * A connection with no traffic either way. Above the event stream's 15-s keep-alive comment: GET /api/events is
   * long-lived and only its request is bounded by requestTimeoutMs (Node bounds receiving, not answering).
   */
  idleTimeoutMs: number;
  /** Open connections at once; more are closed as they arrive (a control room's screens use a few dozen). */
  maxConnections: number;
  /** How often Node checks the request and headers timeouts (its default, 30 s, would double a 30-s timeout). */
  checkIntervalMs: number;
}

export const HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 15_000, keepAliveTimeoutMs: 10_000, idleTimeoutMs: 120_000, maxConnections: 256, checkIntervalMs: 2_000 };

/** The node server with the limits set (fastify's own defaults leave request and connection timeouts off). */
function limitedServer(handler: RequestListener, tls: ApiServerOptions["tls"], l: HttpLimits): Server {
  const options = { requestTimeout: l.requestTimeoutMs, headersTimeout: Math.min(l.headersTimeoutMs, l.requestTimeoutMs), connectionsCheckingInterval: l.checkIntervalMs, keepAliveTimeout: l.keepAliveTimeoutMs };
  const server: Server = tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, handler) : createHttpServer(options, handler);
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.setTimeout(l.idleTimeoutMs);
  server.maxConnections = l.maxConnections;
  return server;
}

/**
 * The daemon's HTTP side (DESIGN §6, docs/api.md): health, the API, the HMI. Every input is validated; bad input
 * is a 4xx with one line, never a 500. The HTTP work runs on the daemon's event loop between cycles.
 */
export async function startApiServer(d: ApiDeps, o: ApiServerOptions): Promise<FastifyInstance> {
  const limits = { ...HTTP_LIMITS, ...o.limits };
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, forceCloseConnections: true, serverFactory: (handler) => limitedServer(handler as RequestListener, o.tls, limits) }) as unknown as FastifyInstance;
  // First: a request for another host name, or a cross-site write, is refused before anything else is done.
  registerGuards(app, { boundHost: o.host, ...(o.allowedHosts ? { allowedHosts: o.allowedHosts } : {}) });
  await app.register(cookie);
  // JSON only: fastify would hand a text/plain body to the routes as a string.
  app.removeContentTypeParser("text/plain");
  app.addHook("onSend", async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e instanceof ApiError || e instanceof OverrideRefusal || e instanceof AlarmActionError) return sendError(reply, e.status, e.message);
    if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") return sendError(reply, 413, `the body is larger than ${BODY_LIMIT_BYTES / 1024} kB`);
    if (e.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return sendError(reply, 415, "send the body as application/json");
    if (e.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return sendError(reply, 400, "body: empty; send a JSON object (or no content-type)");
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendError(reply, e.statusCode, e.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, "body: not valid JSON"));
    d.log.error({ event: "api_error", url: req.url, method: req.method, error: e.message, stack: e.stack }, `API ${req.method} ${req.url} failed: ${e.message}`);
    return sendError(reply, 500, "internal error (logged)");
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `no route ${req.method} ${req.url.split("?")[0]}`));

  app.get("/api/health", async (_req, reply) => {
    const body = healthBody(d.daemon.status$.value, Date.now(), d.ioPeriodWallMs, d.version);
    return reply.code(body.status === "down" ? 503 : 200).send(body);
  });
  const openapi = openApiDocument(d.version);
  app.get("/api/openapi.json", async () => openapi);
  registerReadRoutes(app, d);
  registerAuthRoutes(app, d);
  registerWriteRoutes(app, d);

  const files = staticFiles();
  const index = files.get("/hmi/index.html");
  app.get("/", async (_req, reply) => (index ? reply.type(index.type).send(index.body) : reply.code(404).send({ error: "the HMI is not installed" })));
  // Browsers ask for it on their own; the HMI has none, and a 404 would be an error in every console.
  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());
  app.get("/hmi/*", async (req, reply) => {
    const f = files.get(req.url.split("?")[0]!);
    return f ? reply.type(f.type).header("cache-control", "no-cache").send(f.body) : sendError(reply, 404, `no file ${req.url}`);
  });
  app.get("/vendor/*", async (req, reply) => {
    const f = files.get(req.url.split("?")[0]!);
    return f ? reply.type(f.type).header("cache-control", "max-age=86400").send(f.body) : sendError(reply, 404, `no file ${req.url}`);
  });
  await app.listen({ host: o.host, port: o.port });
  return app;
}

import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Logger } from "pino";
import type { Daemon } from "../daemon/cycle.ts";
import type { Operations } from "../daemon/operations.ts";
import type { HistoryReader } from "../store/reader.ts";
import type { OpsStore } from "../store/ops-store.ts";
import { atLeast, type Role } from "../ops/roles.ts";
import type { LoginLimiter, SessionInfo, Sessions } from "./auth.ts";
import { zodMessage } from "./schemas.ts";

/** What the routes need of the running daemon: small ports, so the API can be tested over a stepped daemon. */
export interface ApiDeps {
  daemon: Pick<Daemon, "status$" | "plans$" | "planStore" | "forecast" | "observation" | "samples" | "kick">;
  ops: Operations;
  store: OpsStore;
  reader: HistoryReader;
  /** The history's cycle columns (timeseries.csv names), to check a query's before any row is read. */
  columns: readonly string[];
  sessions: Sessions;
  limiter: LoginLimiter;
  /** Plant time (the daemon's clock). */
  nowMs: () => number;
  ioPeriodWallMs: number;
  version: string;
  log: Logger;
  /** Whether cookies get the Secure flag (HTTPS). */
  secure: boolean;
}

/** An answer other than 2xx, with its one-line message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const SESSION_COOKIE = "chaleur_session";

export function parse<S extends z.ZodType>(schema: S, data: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(data ?? {});
  if (!r.success) throw new ApiError(400, zodMessage(where, r.error));
  return r.data;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is asking: a bearer token (scripts) or the session cookie (the HMI). 401 without a valid one, 403 below the
 * role needed; a write with the cookie must also carry its session's CSRF token (a page on another site can make
 * the browser send the cookie, never read the token).
 */
export function authenticate(d: ApiDeps, req: FastifyRequest, needed: Role, write: boolean): SessionInfo {
  const header = req.headers.authorization;
  let token: string | undefined;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError(401, "Authorization: expected 'Bearer <token>'");
    token = m[1];
  } else token = req.cookies[SESSION_COOKIE];
  if (!token) throw new ApiError(401, "log in first (POST /api/login)");
  const s = d.sessions.find(token);
  if (!s) throw new ApiError(401, "the session has expired or was ended: log in again");
  if (!atLeast(s.role, needed)) throw new ApiError(403, `this needs the ${needed} role; ${s.username} is ${s.role === "admin" || s.role === "engineer" || s.role === "operator" ? "an" : "a"} ${s.role}`);
  if (write && s.kind === "cookie") {
    const sent = req.headers["x-csrf-token"];
    if (typeof sent !== "string" || !sameText(sent, s.csrf)) throw new ApiError(403, "missing or wrong x-csrf-token header (the HMI sends it; scripts should use a bearer token)");
  }
  return s;
}

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ error: message });
}

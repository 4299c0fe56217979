import { hostname, networkInterfaces } from "node:os";
import type { FastifyInstance } from "fastify";
import { sendError, SESSION_COOKIE } from "./context.ts";

/**
 * Two browser-side defences in front of every route.
 *
 * Host allow-list (DNS rebinding): a page on evil.example can re-point its own name at 127.0.0.1 and then read the
 * HMI's API as "same-origin"; the browser still sends `Host: evil.example`, which no legitimate client does. So a
 * request is answered only when its Host is a name this server is known by: the configured names, the bound
 * address (every address of the machine when bound to 0.0.0.0 or ::), the loopback names when loopback is bound,
 * and the machine's own name. Others get 421 with one line.
 *
 * Origin on cookie writes (CSRF, besides the x-csrf-token header and SameSite=Strict): a browser sends Origin on
 * a POST/PUT/PATCH/DELETE; one that is not this server's is refused with 403. Bearer-token requests (scripts) and
 * requests without an Origin header (not from a browser page) are not concerned.
 */
export interface HostGuardOptions {
  /** The address the server is bound to (the http.host of the config). */
  boundHost: string;
  /** Extra names the server answers to (the config's http.allowed_hosts): a DNS name, an address, a proxy's name. */
  allowedHosts?: readonly string[];
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A host name or address compared as the Host header gives it: lower case, no brackets, no trailing dot. */
function normalHost(h: string): string {
  return h.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

const isLoopback = (h: string) => h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
const isUnspecified = (h: string) => h === "0.0.0.0" || h === "::";

/** The names a request's Host may carry. */
export function allowedHostSet(o: HostGuardOptions): Set<string> {
  const bound = normalHost(o.boundHost);
  const names = new Set<string>([bound, normalHost(hostname()), ...(o.allowedHosts ?? []).map(normalHost)]);
  if (isLoopback(bound) || isUnspecified(bound)) LOOPBACK_NAMES.forEach((n) => names.add(n));
  if (isUnspecified(bound)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(normalHost(a.address.replace(/%.*$/, "")));
  }
  names.delete("");
  return names;
}

/** Host header → host, and port when it names one (null when malformed). */
export function splitHost(header: string): { host: string; port: number | null } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(header.trim());
  if (!m) return null;
  return { host: normalHost(m[1]!), port: m[2] ? Number(m[2]) : null };
}

/**
 * Whether an Origin header is the origin the request was sent to: its host allowed and the same as the Host
 * header's, on the same port (a port left out is the scheme's default). The scheme is not compared: a TLS proxy
 * in front keeps Host but not the scheme, and no other page can be served from the same host and port.
 */
export function sameOrigin(origin: string, requestHost: { host: string; port: number | null }, allowed: ReadonlySet<string>): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed frame, a file) and garbage
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  const defaultPort = u.protocol === "https:" ? 443 : 80;
  const host = normalHost(u.hostname);
  return allowed.has(host) && host === requestHost.host && (u.port ? Number(u.port) : defaultPort) === (requestHost.port ?? defaultPort);
}

const hasSessionCookie = (cookie: string | undefined) => cookie !== undefined && new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`).test(cookie);

/** Registers both checks as the first onRequest hook (before the body is read, before any route). */
export function registerGuards(app: FastifyInstance, o: HostGuardOptions): void {
  const allowed = allowedHostSet(o);
  // IP literals are never a rebinding (the attack needs a name the attacker controls) but are listed anyway: an
  // address the server is not bound to is a misdirected request all the same.
  app.addHook("onRequest", async (req, reply) => {
    const raw = req.headers.host;
    const h = typeof raw === "string" ? splitHost(raw) : null;
    if (!h || !allowed.has(h.host)) {
      const shown = typeof raw === "string" ? raw.slice(0, 100) : "";
      return sendError(reply, 421, h ? `Host '${h.host}' is not a name of this server (a name it should answer to goes in the daemon config's http.allowed_hosts)` : `Host header missing or malformed: '${shown}'`);
    }
    if (!WRITE_METHODS.has(req.method) || req.headers.authorization !== undefined || !hasSessionCookie(req.headers.cookie)) return;
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, h, allowed)) {
      return sendError(reply, 403, `Origin '${origin.slice(0, 100)}' is not this server: a write with the session cookie must come from the HMI's own pages`);
    }
  });
}

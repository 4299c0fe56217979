import { InputError } from "../config/errors.ts";
import { findSession, forgetSessions, keepSession, readSessions, sessionFile } from "./session-token.ts";

/**
 * The CLI's calls to the daemon's API, as a user. The token is $CHALEUR_TOKEN when set (a script's own, used as
 * is); else the session kept for this daemon and user (session-token.ts) while the daemon accepts it; else a
 * login with --user and the password in $CHALEUR_PASSWORD (never on the command line, where `ps` would show it),
 * whose session is then kept. `chaleur logout` ends it.
 */
export interface ApiClientOptions {
  url: string;
  user?: string;
}

export interface Answer {
  status: number;
  body: any;
}

/** The daemon's origin: the key of its kept sessions, and what every path is resolved against. */
export function daemonOrigin(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === "http:" || u.protocol === "https:") return u.origin;
  } catch {
    // not a URL: said below
  }
  throw new InputError("--url", "", "the daemon's HTTP address, e.g. http://127.0.0.1:8080", `got '${url}'`);
}

export async function request(url: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(new URL(path, daemonOrigin(url)), { method, headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError("--url", "", "the address of a running chaleur daemon", `${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** A 4xx from the daemon is the person's input: one line with the daemon's words, exit 2. */
export function refused(what: string, a: Answer): never {
  const msg = typeof a.body === "object" && a.body && "error" in a.body ? String((a.body as { error: string }).error) : String(a.body);
  if (a.status >= 400 && a.status < 500) throw new InputError(what, "", "an answer the daemon accepts", `${a.status}: ${msg}`);
  throw new Error(`${what}: the daemon answered ${a.status}: ${msg}`);
}

async function login(url: string, user: string): Promise<string> {
  const password = process.env.CHALEUR_PASSWORD;
  if (!password) throw new InputError("CHALEUR_PASSWORD", "", `the password of '${user}' in the environment`);
  const a = await request(url, "POST", "/api/login", { username: user, password, bearer: true });
  if (a.status !== 200) refused("login", a);
  const b = a.body as { token: string; expires_at: string };
  keepSession({ url, user, token: b.token, expires_at: b.expires_at });
  return b.token;
}

/**
 * One call as the user. A kept session the daemon refuses (401: ended, expired, the password changed) is
 * forgotten and replaced by one new login, and the call made once more: a 401 comes before a route does
 * anything, so the call cannot have happened twice.
 */
export async function apiCall(o: ApiClientOptions, method: string, path: string, body?: unknown): Promise<Answer> {
  if (process.env.CHALEUR_TOKEN) return request(o.url, method, path, body, process.env.CHALEUR_TOKEN);
  if (!o.user) throw new InputError("--user", "", "a user name (password in $CHALEUR_PASSWORD), or a token in $CHALEUR_TOKEN");
  const url = daemonOrigin(o.url);
  const kept = findSession(readSessions(sessionFile()), url, o.user);
  if (kept) {
    const a = await request(url, method, path, body, kept.token);
    if (a.status !== 401) return a;
    forgetSessions(url, o.user);
  }
  return request(url, method, path, body, await login(url, o.user));
}

/** `chaleur logout`: ends the kept sessions for the daemon (one user's, or all) on the daemon, then forgets them. */
export async function logout(o: { url: string; user?: string }): Promise<string> {
  const url = daemonOrigin(o.url);
  const mine = readSessions(sessionFile()).filter((s) => s.url === url && (o.user === undefined || s.user === o.user));
  if (!mine.length) return `no session kept for ${url}${o.user ? ` as ${o.user}` : ""} (nothing to do)`;
  for (const s of mine) {
    const a = await request(url, "POST", "/api/logout", undefined, s.token);
    // 401: the daemon had already ended it; either way it is over.
    if (a.status !== 204 && a.status !== 401) refused("logout", a);
    forgetSessions(url, s.user);
  }
  return `logged out of ${url} as ${mine.map((s) => s.user).join(", ")}`;
}

import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { OpsStore, SessionRow } from "../store/ops-store.ts";
import type { Role } from "../ops/roles.ts";

/**
 * Passwords, sessions and the login limiter. Passwords are scrypt hashes with N = 2^15, r = 8, p = 3: one of the
 * equivalent settings the OWASP Password Storage Cheat Sheet lists beside N = 2^17, p = 1 (32 MiB instead of
 * 128 MiB per check, which matters on a plant PC). Session tokens are 256 random bits; only their SHA-256 is
 * stored, so the history file holds nothing that logs in.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLen: 32, maxmem: 64 * 1024 * 1024 };

function scryptAsync(password: string, salt: Buffer, keyLen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((done, fail) => scrypt(password, salt, keyLen, o, (e, k) => (e ? fail(e) : done(k))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT.maxmem });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split("$");
  if (alg !== "scrypt" || !salt || !key) return false;
  const want = Buffer.from(key, "base64");
  const got = await scryptAsync(password, Buffer.from(salt, "base64"), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A password a person may choose: long enough to resist guessing at our rate limit for years. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return "at least 10 characters";
  if (password.length > 200) return "at most 200 characters";
  return null;
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface SessionInfo {
  username: string;
  role: Role;
  kind: "cookie" | "bearer";
  csrf: string;
  expiresMs: number;
  tokenHash: string;
}

/** Sessions over the store, in wall time (a plant clock running at 60× in the demo must not expire them early). */
export class Sessions {
  readonly #store: OpsStore;
  readonly #ttlMs: number;
  readonly #nowMs: () => number;

  constructor(store: OpsStore, ttlMs: number, nowMs: () => number = Date.now) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#nowMs = nowMs;
  }

  create(username: string, kind: "cookie" | "bearer"): { token: string; row: SessionRow } {
    const token = randomBytes(32).toString("base64url");
    const now = this.#nowMs();
    const row: SessionRow = { tokenHash: tokenHash(token), username, kind, csrf: randomBytes(24).toString("base64url"), createdMs: now, expiresMs: now + this.#ttlMs };
    this.#store.removeExpiredSessions(now);
    this.#store.addSession(row);
    return { token, row };
  }

  /** The session of a token, if it exists, has not expired, and its user still exists (with the user's role now). */
  find(token: string): SessionInfo | null {
    const h = tokenHash(token);
    const s = this.#store.session(h);
    if (!s) return null;
    if (s.expiresMs <= this.#nowMs()) {
      this.#store.removeSession(h);
      return null;
    }
    const u = this.#store.user(s.username);
    return u ? { username: u.username, role: u.role, kind: s.kind, csrf: s.csrf, expiresMs: s.expiresMs, tokenHash: h } : null;
  }

  end(tokenHashHex: string): void {
    this.#store.removeSession(tokenHashHex);
  }
}

/**
 * Failed logins per user name and per client address: after `maxFailures` for a user name (five times as many
 * for an address, which a control room's operators share) within `windowMs`, further attempts are refused (429)
 * until the window has passed, whatever the password. Kept in memory: a restart forgets them,
 * which costs an attacker a daemon restart per window — not something they can cause.
 */
const IP_FACTOR = 5;

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #nowMs: () => number;

  constructor(o: { maxFailures: number; windowMs: number; nowMs?: () => number }) {
    this.#max = o.maxFailures;
    this.#windowMs = o.windowMs;
    this.#nowMs = o.nowMs ?? Date.now;
  }

  /** Seconds until a login may be tried again for this user and address (0: now). */
  retryAfterS(username: string, ip: string): number {
    const now = this.#nowMs();
    let waitMs = 0;
    for (const [key, max] of [[`u:${username}`, this.#max], [`ip:${ip}`, this.#max * IP_FACTOR]] as const) {
      const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#windowMs);
      if (recent.length) this.#failures.set(key, recent);
      else this.#failures.delete(key);
      if (recent.length >= max) waitMs = Math.max(waitMs, recent[recent.length - max]! + this.#windowMs - now);
    }
    return Math.ceil(waitMs / 1000);
  }

  failed(username: string, ip: string): void {
    const now = this.#nowMs();
    for (const key of [`u:${username}`, `ip:${ip}`]) this.#failures.set(key, [...(this.#failures.get(key) ?? []), now].slice(-this.#max * IP_FACTOR));
  }

  succeeded(username: string): void {
    this.#failures.delete(`u:${username}`);
  }
}

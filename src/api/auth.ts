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
    return this.#lookup(tokenHash(token));
  }

  /** Whether a session still holds (not ended, not expired, its user still there with the same password). */
  alive(tokenHashHex: string): boolean {
    return this.#lookup(tokenHashHex) !== null;
  }

  #lookup(h: string): SessionInfo | null {
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
 * Login attempts, counted as they start (so that parallel guesses cannot all slip in before the first fails) and
 * forgiven when they succeed: after `maxFailures` for one user name from one address within `windowMs`, further
 * attempts are refused (429) until the window has passed, whatever the password. A user name from every address
 * gets four times as many, and an address for every user name five times as many: one person mistyping, or someone
 * guessing from another machine, does not lock a control room's shared PC out. Kept in memory: a restart forgets
 * them, which an attacker cannot cause. At most MAX_CHECKS_IN_FLIGHT password checks run at once (each is 32 MiB
 * of scrypt on the thread pool): a burst beyond that is told to retry.
 */
const USER_FACTOR = 4;
const IP_FACTOR = 5;
const MAX_CHECKS_IN_FLIGHT = 4;

export class LoginLimiter {
  readonly #attempts = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #nowMs: () => number;
  #inFlight = 0;

  constructor(o: { maxFailures: number; windowMs: number; nowMs?: () => number }) {
    this.#max = o.maxFailures;
    this.#windowMs = o.windowMs;
    this.#nowMs = o.nowMs ?? Date.now;
  }

  #keys(username: string, ip: string): [string, number][] {
    return [
      [`u+ip:${username}\u0000${ip}`, this.#max],
      [`u:${username}`, this.#max * USER_FACTOR],
      [`ip:${ip}`, this.#max * IP_FACTOR],
    ];
  }

  /**
   * Starts an attempt: null when it may go on (it is counted until `succeeded` forgives it; `done` must follow),
   * else the seconds to wait.
   */
  begin(username: string, ip: string): number | null {
    const now = this.#nowMs();
    let waitMs = 0;
    for (const [key, max] of this.#keys(username, ip)) {
      const recent = (this.#attempts.get(key) ?? []).filter((t) => now - t < this.#windowMs);
      if (recent.length) this.#attempts.set(key, recent);
      else this.#attempts.delete(key);
      if (recent.length >= max) waitMs = Math.max(waitMs, recent[recent.length - max]! + this.#windowMs - now);
    }
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    if (this.#inFlight >= MAX_CHECKS_IN_FLIGHT) return 1;
    this.#inFlight++;
    for (const [key, max] of this.#keys(username, ip)) this.#attempts.set(key, [...(this.#attempts.get(key) ?? []), now].slice(-max));
    return null;
  }

  /** The attempt's password check is over. */
  done(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** A good password: this user's attempts are forgiven (the address keeps its count). */
  succeeded(username: string, ip: string): void {
    const [pair, user] = this.#keys(username, ip);
    this.#attempts.delete(pair![0]);
    this.#attempts.delete(user![0]);
  }
}

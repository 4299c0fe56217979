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
 * Login attempts. Two limits, both on failures only (a good password never counts against anyone: a control
 * room's shared PC may log in all day):
 * - per user name, from every address: after `freeFailures` within `windowMs`, a growing delay — 1 s after the
 *   last failure, doubling with each further failure, at most 60 s. Guessing is slowed to one try a minute however
 *   many hosts join in, yet no number of hosts locks the person out: once they stop, the right password gets in
 *   within a minute. (A hard block per user name was a lock-out anyone could cause from a few machines.)
 * - per address, over every user name: a hard cap of `freeFailures × ADDRESS_FACTOR` within `windowMs`, so one
 *   machine cannot try many names.
 * Attempts are counted as they start (parallel guesses cannot all slip in before the first fails); a success then
 * takes its own attempt back out. Kept in memory: a restart forgets them, which an attacker cannot cause. At most
 * MAX_CHECKS_IN_FLIGHT password checks run at once (each is 32 MiB of scrypt on the thread pool): a burst beyond
 * that is told to retry in a second.
 */
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;
const ADDRESS_FACTOR = 5;
const MAX_CHECKS_IN_FLIGHT = 4;
/** Enough entries per key for both limits (the delay stops growing after a few); older ones are dropped. */
const MAX_KEPT = 200;
/** Keys whose last entry has left the window are dropped every so many attempts (user names are attacker-chosen). */
const SWEEP_EVERY = 256;

/** One login attempt that was let through; `end` must follow it, whatever happens. */
export interface LoginAttempt {
  readonly username: string;
  readonly ip: string;
  readonly startedMs: number;
}

export type LoginStart = { ok: true; attempt: LoginAttempt } | { ok: false; waitS: number; why: "user" | "address" | "busy" };

export class LoginLimiter {
  /** Per key (`u:<name>`, `ip:<address>`): times of failed or running attempts, oldest first. */
  readonly #counted = new Map<string, number[]>();
  readonly #free: number;
  readonly #addressMax: number;
  readonly #windowMs: number;
  readonly #nowMs: () => number;
  #inFlight = 0;
  #sinceSweep = 0;

  constructor(o: { maxFailures: number; windowMs: number; nowMs?: () => number }) {
    this.#free = o.maxFailures;
    this.#addressMax = o.maxFailures * ADDRESS_FACTOR;
    this.#windowMs = o.windowMs;
    this.#nowMs = o.nowMs ?? (() => Date.now());
  }

  /** The wait after n failures (or running attempts) for one user name. */
  delayMs(n: number): number {
    return n < this.#free ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (n - this.#free));
  }

  /** Starts an attempt, or says how long to wait (429 with Retry-After). */
  begin(username: string, ip: string): LoginStart {
    const now = this.#nowMs();
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const user = this.#recent(`u:${username}`, now);
    const address = this.#recent(`ip:${ip}`, now);
    const addressWaitMs = address.length >= this.#addressMax ? address[address.length - this.#addressMax]! + this.#windowMs - now : 0;
    if (addressWaitMs > 0) return { ok: false, waitS: Math.ceil(addressWaitMs / 1000), why: "address" };
    const userWaitMs = user.length ? user[user.length - 1]! + this.delayMs(user.length) - now : 0;
    if (userWaitMs > 0) return { ok: false, waitS: Math.ceil(userWaitMs / 1000), why: "user" };
    if (this.#inFlight >= MAX_CHECKS_IN_FLIGHT) return { ok: false, waitS: 1, why: "busy" };
    this.#inFlight++;
    this.#add(`u:${username}`, now);
    this.#add(`ip:${ip}`, now);
    return { ok: true, attempt: { username, ip, startedMs: now } };
  }

  /**
   * The attempt's password check is over. A success takes its attempt back out of both counts; a failure stays,
   * timed from now (the delay runs from when the failure was known, not from when its check began).
   */
  end(a: LoginAttempt, succeeded: boolean): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const now = this.#nowMs();
    for (const key of [`u:${a.username}`, `ip:${a.ip}`]) {
      const times = this.#counted.get(key);
      const k = times?.indexOf(a.startedMs) ?? -1;
      if (k >= 0) times!.splice(k, 1);
      if (!succeeded) this.#add(key, now);
      else if (times && !times.length) this.#counted.delete(key);
    }
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#counted.get(key) ?? []).filter((t) => now - t < this.#windowMs);
    if (times.length) this.#counted.set(key, times);
    else this.#counted.delete(key);
    return times;
  }

  #add(key: string, t: number): void {
    const times = this.#counted.get(key) ?? [];
    times.push(t);
    if (times.length > MAX_KEPT) times.shift();
    this.#counted.set(key, times);
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [key, times] of this.#counted) if (!times.length || now - times[times.length - 1]! >= this.#windowMs) this.#counted.delete(key);
  }
}

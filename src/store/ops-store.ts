import type Database from "better-sqlite3";
import type { Override, OverrideDraft } from "../ops/overrides.ts";
import type { Role } from "../ops/roles.ts";
import type { Alarm } from "../ops/alarms.ts";
import { appendChainedAudit, type AuditRowDb } from "./audit-chain.ts";

/**
 * The operators' side of the history file: users, sessions, overrides, alarms and the append-only audit log.
 * Each write is its own small transaction (they come from people, a few a minute at most); an audit entry is
 * synced to disk (FULL) before the API answers, and chained to the one before it (audit-chain.ts).
 */
export interface UserRow {
  username: string;
  role: Role;
  createdMs: number;
}

export interface SessionRow {
  tokenHash: string;
  username: string;
  kind: "cookie" | "bearer";
  csrf: string;
  createdMs: number;
  expiresMs: number;
}

export interface AuditEntry {
  id: number;
  timeMs: number;
  actor: string;
  action: string;
  target: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
}

interface OverrideRowDb {
  id: number;
  created_ms: number;
  author: string;
  target: string;
  kind: Override["kind"];
  value: number | null;
  start_ms: number;
  expiry_ms: number;
  reason: string;
  cleared_ms: number | null;
  cleared_by: string | null;
  clear_reason: string | null;
}

function overrideFrom(r: OverrideRowDb): Override {
  return { id: r.id, target: r.target, kind: r.kind, value: r.value, startMs: r.start_ms, expiryMs: r.expiry_ms, reason: r.reason, author: r.author, createdMs: r.created_ms, clearedMs: r.cleared_ms, clearedBy: r.cleared_by, clearReason: r.clear_reason };
}

export class OpsStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  // users

  users(): UserRow[] {
    return (this.#db.prepare("SELECT username, role, created_ms FROM users ORDER BY username").all() as { username: string; role: Role; created_ms: number }[]).map((r) => ({ username: r.username, role: r.role, createdMs: r.created_ms }));
  }

  user(username: string): (UserRow & { passwordHash: string }) | null {
    const r = this.#db.prepare("SELECT username, role, created_ms, password_hash FROM users WHERE username = ?").get(username) as { username: string; role: Role; created_ms: number; password_hash: string } | undefined;
    return r ? { username: r.username, role: r.role, createdMs: r.created_ms, passwordHash: r.password_hash } : null;
  }

  /**
   * Adds a user, or replaces the role and password of an existing one (ending that user's sessions: a new
   * password must lock out whoever had the old one); returns whether it existed.
   */
  putUser(username: string, role: Role, passwordHash: string, nowMs: number): boolean {
    return this.#db.transaction(() => {
      const existed = this.user(username) !== null;
      if (existed) this.#db.prepare("DELETE FROM sessions WHERE username = ?").run(username);
      this.#db.prepare("INSERT INTO users (username, role, password_hash, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash").run(username, role, passwordHash, nowMs);
      return existed;
    })();
  }

  removeUser(username: string): boolean {
    return this.#db.transaction(() => {
      this.#db.prepare("DELETE FROM sessions WHERE username = ?").run(username);
      return this.#db.prepare("DELETE FROM users WHERE username = ?").run(username).changes > 0;
    })();
  }

  // sessions

  addSession(s: SessionRow): void {
    this.#db.prepare("INSERT INTO sessions (token_hash, username, kind, csrf, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)").run(s.tokenHash, s.username, s.kind, s.csrf, s.createdMs, s.expiresMs);
  }

  session(tokenHash: string): SessionRow | null {
    const r = this.#db.prepare("SELECT token_hash, username, kind, csrf, created_ms, expires_ms FROM sessions WHERE token_hash = ?").get(tokenHash) as { token_hash: string; username: string; kind: "cookie" | "bearer"; csrf: string; created_ms: number; expires_ms: number } | undefined;
    return r ? { tokenHash: r.token_hash, username: r.username, kind: r.kind, csrf: r.csrf, createdMs: r.created_ms, expiresMs: r.expires_ms } : null;
  }

  removeSession(tokenHash: string): void {
    this.#db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
  }

  removeExpiredSessions(nowWallMs: number): number {
    return this.#db.prepare("DELETE FROM sessions WHERE expires_ms <= ?").run(nowWallMs).changes;
  }

  // overrides

  /** Overrides not cleared whose expiry is after `sinceMs` (what the daemon loads at start), oldest first. */
  overridesSince(sinceMs: number): Override[] {
    return (this.#db.prepare("SELECT * FROM overrides WHERE cleared_ms IS NULL AND expiry_ms > ? ORDER BY id").all(sinceMs) as OverrideRowDb[]).map(overrideFrom);
  }

  /** Overrides that ran out (not cleared) with no `override.expire` entry in the audit log: ended while no daemon ran. */
  overridesExpiredUnaudited(nowMs: number): Override[] {
    return (this.#db.prepare("SELECT * FROM overrides o WHERE cleared_ms IS NULL AND expiry_ms <= ? AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'override.expire' AND a.old_value LIKE '#' || o.id || ' %') ORDER BY id").all(nowMs) as OverrideRowDb[]).map(overrideFrom);
  }

  /** Every override, newest first (bounded). */
  overrides(limit = 500): Override[] {
    return (this.#db.prepare("SELECT * FROM overrides ORDER BY id DESC LIMIT ?").all(limit) as OverrideRowDb[]).map(overrideFrom);
  }

  override(id: number): Override | null {
    const r = this.#db.prepare("SELECT * FROM overrides WHERE id = ?").get(id) as OverrideRowDb | undefined;
    return r ? overrideFrom(r) : null;
  }

  insertOverride(d: OverrideDraft): Override {
    const id = Number(this.#db.prepare("INSERT INTO overrides (created_ms, author, target, kind, value, start_ms, expiry_ms, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(d.createdMs, d.author, d.target, d.kind, d.value, d.startMs, d.expiryMs, d.reason).lastInsertRowid);
    return this.override(id)!;
  }

  clearOverride(id: number, by: string, reason: string | null, nowMs: number): Override {
    this.#db.prepare("UPDATE overrides SET cleared_ms = ?, cleared_by = ?, clear_reason = ? WHERE id = ? AND cleared_ms IS NULL").run(nowMs, by, reason, id);
    return this.override(id)!;
  }

  // alarms

  saveAlarm(a: Alarm): void {
    this.#db
      .prepare("INSERT INTO alarms (id, code, source, priority, state, message, action, raised_ms, cleared_ms, acked_ms, acked_by, shelved_until_ms, shelved_by, shelve_reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, priority = excluded.priority, message = excluded.message, cleared_ms = excluded.cleared_ms, acked_ms = excluded.acked_ms, acked_by = excluded.acked_by, shelved_until_ms = excluded.shelved_until_ms, shelved_by = excluded.shelved_by, shelve_reason = excluded.shelve_reason, detail = excluded.detail")
      .run(a.id, a.code, a.source, a.priority, a.state, a.message, a.action, a.raisedMs, a.clearedMs, a.ackedMs, a.ackedBy, a.shelvedUntilMs, a.shelvedBy, a.shelveReason, JSON.stringify(a));
  }

  saveAlarms(as: readonly Alarm[]): void {
    if (as.length) this.#db.transaction(() => as.forEach((a) => this.saveAlarm(a)))();
  }

  /** Alarms not closed (what a restarting daemon takes over), each as it was last saved (JSON in `detail`). */
  openAlarms(): Alarm[] {
    return (this.#db.prepare("SELECT detail FROM alarms WHERE state != 'closed' ORDER BY id").all() as { detail: string }[]).map((r) => JSON.parse(r.detail) as Alarm);
  }

  alarms(limit = 500): Alarm[] {
    return (this.#db.prepare("SELECT detail FROM alarms ORDER BY id DESC LIMIT ?").all(limit) as { detail: string }[]).map((r) => JSON.parse(r.detail) as Alarm);
  }

  maxAlarmId(): number {
    return (this.#db.prepare("SELECT coalesce(max(id), 0) AS n FROM alarms").get() as { n: number }).n;
  }

  // audit

  /** The newest row's id and hash: the head to record elsewhere (chaleur audit verify --head). */
  auditHead(): { id: number; hash: string } | null {
    return (this.#db.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").get() as { id: number; hash: string } | undefined) ?? null;
  }

  appendAudit(e: Omit<AuditEntry, "id">): AuditEntry {
    const id = appendChainedAudit(this.#db, e);
    return { id, ...e };
  }

  /** Entries in [fromMs, toMs), newest first (bounded: see auditPage for the rest). */
  audit(fromMs: number, toMs: number, limit = 10_000): AuditEntry[] {
    return this.auditPage({ fromMs, toMs, limit }).entries;
  }

  /**
   * One page of the entries in [fromMs, toMs) with an id below `beforeId`, newest first; `more` says whether older
   * ones remain (the next page starts below the last entry's id). Ids only grow, so paging by id neither skips nor
   * repeats an entry while new ones are appended.
   */
  auditPage(q: { fromMs: number; toMs: number; beforeId?: number; limit: number }): { entries: AuditEntry[]; more: boolean } {
    const rows = this.#db.prepare("SELECT id, time_ms, actor, action, target, old_value, new_value, reason FROM audit WHERE time_ms >= ? AND time_ms < ? AND id < ? ORDER BY id DESC LIMIT ?").all(q.fromMs, q.toMs, q.beforeId ?? Number.MAX_SAFE_INTEGER, q.limit + 1) as AuditRowDb[];
    const more = rows.length > q.limit;
    return { entries: rows.slice(0, q.limit).map(auditFrom), more };
  }

  /** How many entries [fromMs, toMs) holds (the time index: cheap). */
  auditCount(fromMs: number, toMs: number): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM audit WHERE time_ms >= ? AND time_ms < ?").get(fromMs, toMs) as { n: number }).n;
  }

  overrideCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM overrides").get() as { n: number }).n;
  }

  alarmCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM alarms").get() as { n: number }).n;
  }
}

function auditFrom(r: AuditRowDb): AuditEntry {
  return { id: r.id, timeMs: r.time_ms, actor: r.actor, action: r.action, target: r.target, oldValue: r.old_value, newValue: r.new_value, reason: r.reason };
}

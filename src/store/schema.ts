import type Database from "better-sqlite3";
import { chainExistingAudit } from "./audit-chain.ts";

/**
 * The history's schema, versioned by `PRAGMA user_version`. Each migration takes a database at version i to i + 1
 * and runs in one transaction with the version bump, so a crash mid-migration leaves the old version intact.
 * Never edit a shipped migration: add one.
 *
 * Layout choices (measured, bench/history.ts): raw measurements are keyed by (time, integer tag id) WITHOUT ROWID,
 * so that a cycle's 25 rows land in one B-tree page: keyed by tag first they touched 25 pages per commit and
 * ingest at the daemon's write pattern ran at 52k rows/s, against 220k now. Per-tag questions over long periods
 * go to the 15-min means, keyed by tag first, which retention keeps up to date bucket by bucket. Times are
 * integer ms since the epoch, UTC.
 * Qualities are the index in io/types.ts QUALITIES (0 = good).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the historian
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  -- One run per daemon start: which version and config wrote the rows that follow.
  CREATE TABLE runs (id INTEGER PRIMARY KEY, started_wall_ms INTEGER NOT NULL, pid INTEGER NOT NULL, version TEXT NOT NULL, config TEXT NOT NULL, model TEXT NOT NULL, model_json TEXT);
  -- Raw samples as read: one row per tag per cycle (value NULL when the sample had none).
  CREATE TABLE measurements (time_ms INTEGER NOT NULL, tag_id INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL, PRIMARY KEY (time_ms, tag_id)) WITHOUT ROWID;
  -- Downsampled: means (good samples only) over each 15 min, made as soon as the 15 min are over; kept for years.
  CREATE TABLE measurements_15m (tag_id INTEGER NOT NULL, time_ms INTEGER NOT NULL, mean REAL, min REAL, max REAL, n INTEGER NOT NULL, PRIMARY KEY (tag_id, time_ms)) WITHOUT ROWID;
  -- One row per cycle: the timeseries.csv record (values as little-endian float64 in the columns' order), the
  -- mode and its cause, and the plan followed (NULL under rule or safe).
  CREATE TABLE columns (id INTEGER PRIMARY KEY, names TEXT NOT NULL UNIQUE);
  CREATE TABLE cycles (time_ms INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, duration_s REAL NOT NULL, mode TEXT NOT NULL, cause TEXT NOT NULL, hp_starts INTEGER NOT NULL, plan_made_at_ms INTEGER, columns_id INTEGER NOT NULL, vals BLOB NOT NULL, cycle_ms REAL);
  CREATE TABLE cycles_15m (time_ms INTEGER NOT NULL, columns_id INTEGER NOT NULL, duration_s REAL NOT NULL, mode TEXT NOT NULL, mode_s TEXT NOT NULL, hp_starts INTEGER NOT NULL, vals BLOB NOT NULL, PRIMARY KEY (time_ms, columns_id)) WITHOUT ROWID;
  -- Setpoints per cycle and PLC: what was written and what was read back (JSON by register name).
  CREATE TABLE setpoints (time_ms INTEGER NOT NULL, plc TEXT NOT NULL, ok INTEGER NOT NULL, written TEXT NOT NULL, read_back TEXT NOT NULL, error TEXT, PRIMARY KEY (time_ms, plc)) WITHOUT ROWID;
  -- Every plan attempt: verified plans carry their schedule (deflated JSON; dropped after the raw retention).
  CREATE TABLE plans (id INTEGER PRIMARY KEY, made_at_ms INTEGER NOT NULL, run_id INTEGER NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL, objective_eur REAL, solver TEXT, solve_ms REAL, gap_pct REAL, message TEXT, schedule BLOB);
  CREATE INDEX plans_made_at ON plans (made_at_ms);
  CREATE TABLE mode_changes (time_ms INTEGER NOT NULL, from_mode TEXT NOT NULL, to_mode TEXT NOT NULL, cause TEXT NOT NULL);
  CREATE INDEX mode_changes_time ON mode_changes (time_ms);
  -- Each forecast a plan was made on, per quantity, scored once its horizon has passed.
  CREATE TABLE forecasts (id INTEGER PRIMARY KEY, issued_ms INTEGER NOT NULL, quantity TEXT NOT NULL, source TEXT NOT NULL, why TEXT, bounds BLOB NOT NULL, vals BLOB NOT NULL, score TEXT);
  CREATE INDEX forecasts_issued ON forecasts (issued_ms);
  `,
  // 2: for the operators' side: overrides, alarms, and the append-only audit log
  `
  CREATE TABLE overrides (id INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, author TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, value REAL, start_ms INTEGER NOT NULL, expiry_ms INTEGER NOT NULL, reason TEXT NOT NULL, cleared_ms INTEGER, cleared_by TEXT);
  CREATE TABLE alarms (id INTEGER PRIMARY KEY, code TEXT NOT NULL, source TEXT NOT NULL, priority TEXT NOT NULL, state TEXT NOT NULL, message TEXT NOT NULL, action TEXT NOT NULL, raised_ms INTEGER NOT NULL, cleared_ms INTEGER, acked_ms INTEGER, acked_by TEXT, shelved_until_ms INTEGER, shelved_by TEXT, shelve_reason TEXT);
  CREATE TABLE audit (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, old_value TEXT, new_value TEXT, reason TEXT);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // 3: users and sessions (passwords as scrypt hashes, session tokens as SHA-256: the file never holds a secret
  // that logs in); why an override was cleared; an alarm's whole state (JSON) beside its indexed columns
  `
  CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_ms INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, kind TEXT NOT NULL, csrf TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID;
  ALTER TABLE overrides ADD COLUMN clear_reason TEXT;
  CREATE INDEX overrides_expiry ON overrides (expiry_ms);
  ALTER TABLE alarms ADD COLUMN detail TEXT;
  CREATE INDEX alarms_state ON alarms (state);
  CREATE INDEX audit_time ON audit (time_ms);
  `,
  // 4: tamper evidence: each audit row's SHA-256 chained to the previous row's (audit-chain.ts); the rows already
  // there are chained by the step below, as they are at the upgrade
  `
  ALTER TABLE audit ADD COLUMN hash TEXT;
  `,
];

/**
 * Steps in code run after a migration's SQL, in its transaction (by the version the migration reaches): what SQL
 * alone cannot do, such as hashing rows.
 */
const STEPS: Readonly<Record<number, (db: Database.Database) => void>> = {
  4: (db) => chainExistingAudit(db, Date.now()),
};

export const SCHEMA_VERSION = MIGRATIONS.length;

export type MigrationOutcome = { kind: "current" } | { kind: "created" } | { kind: "upgraded"; from: number } | { kind: "newer"; version: number };

/** Brings a database to SCHEMA_VERSION; a database from a newer chaleur is left untouched. */
export function migrate(db: Database.Database): MigrationOutcome {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) return { kind: "newer", version };
  if (version === SCHEMA_VERSION) return { kind: "current" };
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      STEPS[v + 1]?.(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return version === 0 ? { kind: "created" } : { kind: "upgraded", from: version };
}

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

/**
 * Tamper evidence for the audit log: each row carries `hash` = SHA-256(previous row's hash, "\n", the row's fields
 * as a JSON array), the first row chained to GENESIS. The triggers make the log append-only for chaleur; the chain
 * is for someone with write access to the file, who can drop the triggers: a row rewritten, inserted or removed
 * no longer chains from its predecessor, and `chaleur audit verify` names the first such row.
 *
 * What it cannot prove: an unkeyed chain can be recomputed from the tampered row to the end by whoever rewrote
 * it, and the newest rows can be cut off without a trace. Both show only against a head (id and hash) recorded
 * somewhere else before (a verify line in the shift log, a CSV export): the head is what to keep.
 */
export const GENESIS_HASH = "0".repeat(64);

/** The audit row as stored (snake_case columns). */
export interface AuditRowDb {
  id: number;
  time_ms: number;
  actor: string;
  action: string;
  target: string;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
}

/** The row's canonical form: JSON of its fields in a fixed order (no field can bleed into the next). */
export function auditRowHash(prevHash: string, r: AuditRowDb): string {
  const fields = [r.id, r.time_ms, r.actor, r.action, r.target, r.old_value, r.new_value, r.reason];
  return createHash("sha256").update(prevHash).update("\n").update(JSON.stringify(fields)).digest("hex");
}

export interface AuditDraft {
  timeMs: number;
  actor: string;
  action: string;
  target: string;
  oldValue?: string | null;
  newValue?: string | null;
  reason?: string | null;
}

/**
 * Appends one row chained to the last, synced to disk (FULL) before it returns. IMMEDIATE: the write lock is taken
 * before the last row is read, so two processes appending at once (the daemon and `chaleur users add`) cannot
 * both chain to the same row.
 */
export function appendChainedAudit(db: Database.Database, e: AuditDraft): number {
  db.pragma("synchronous = FULL");
  try {
    return db
      .transaction(() => {
        const last = db.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").get() as { id: number; hash: string | null } | undefined;
        const row: AuditRowDb = { id: (last?.id ?? 0) + 1, time_ms: e.timeMs, actor: e.actor, action: e.action, target: e.target, old_value: e.oldValue ?? null, new_value: e.newValue ?? null, reason: e.reason ?? null };
        // A row before this one with no hash (written around chaleur) stays unchained: verify names it.
        const hash = auditRowHash(last?.hash ?? GENESIS_HASH, row);
        db.prepare("INSERT INTO audit (id, time_ms, actor, action, target, old_value, new_value, reason, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(row.id, row.time_ms, row.actor, row.action, row.target, row.old_value, row.new_value, row.reason, hash);
        return row.id;
      })
      .immediate();
  } finally {
    db.pragma("synchronous = NORMAL");
  }
}

const COLUMNS = "id, time_ms, actor, action, target, old_value, new_value, reason";
/** Rows read per query when walking the whole log (bounded memory on a years-long log). */
const BATCH_ROWS = 5000;

/** The append-only triggers, as migration 2 made them (the chain's migration drops one for a moment). */
export const AUDIT_TRIGGERS = {
  audit_no_update: "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
  audit_no_delete: "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
} as const;

/** meta key: the newest row that existed when the chain was introduced (chained then, not when written). */
export const CHAIN_SINCE_KEY = "audit_chain_since";

/**
 * The migration's step, inside its transaction, after `hash` was added: chains the rows already there, in id
 * order. They are hashed as they are now: the chain proves nothing about them before this moment, only that they
 * are unchanged from then on (recorded in meta as CHAIN_SINCE_KEY).
 */
export function chainExistingAudit(db: Database.Database, nowWallMs: number): void {
  db.exec("DROP TRIGGER IF EXISTS audit_no_update");
  const update = db.prepare("UPDATE audit SET hash = ? WHERE id = ?");
  let prev = GENESIS_HASH;
  let lastId = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const batch = db.prepare(`SELECT ${COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT ?`).all(lastId, BATCH_ROWS) as AuditRowDb[];
    for (const r of batch) {
      prev = auditRowHash(prev, r);
      update.run(prev, r.id);
    }
    if (batch.length < BATCH_ROWS) break;
    lastId = batch.at(-1)!.id;
  }
  db.exec(AUDIT_TRIGGERS.audit_no_update);
  const maxId = (db.prepare("SELECT coalesce(max(id), 0) AS n FROM audit").get() as { n: number }).n;
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(CHAIN_SINCE_KEY, JSON.stringify({ id: maxId, wall_ms: nowWallMs }));
}

export type ChainVerdict =
  | { ok: true; rows: number; head: { id: number; hash: string } | null; chainedAtMigration: { id: number; wallMs: number } | null }
  | { ok: false; id: number; why: string };

/** Walks the log oldest first; the first row whose stored hash is not the one its predecessor and fields give. */
export function verifyAuditChain(db: Database.Database): ChainVerdict {
  let prev = GENESIS_HASH;
  let prevId: number | null = null;
  let rows = 0;
  for (;;) {
    const batch = db.prepare(`SELECT ${COLUMNS}, hash FROM audit WHERE id > ? ORDER BY id LIMIT ?`).all(prevId ?? Number.MIN_SAFE_INTEGER, BATCH_ROWS) as (AuditRowDb & { hash: string | null })[];
    for (const r of batch) {
      const want = auditRowHash(prev, r);
      if (r.hash !== want) {
        const after = prevId === null ? "as the first row" : `from row #${prevId}`;
        const why = r.hash === null ? `it has no hash (written around chaleur)` : `its hash does not chain ${after}: it was rewritten, inserted, or a row before it removed`;
        return { ok: false, id: r.id, why };
      }
      prev = r.hash;
      prevId = r.id;
      rows++;
    }
    if (batch.length < BATCH_ROWS) break;
  }
  const since = db.prepare("SELECT value FROM meta WHERE key = ?").get(CHAIN_SINCE_KEY) as { value: string } | undefined;
  let chainedAtMigration: { id: number; wallMs: number } | null = null;
  if (since) {
    const s = JSON.parse(since.value) as { id: number; wall_ms: number };
    if (s.id > 0) chainedAtMigration = { id: s.id, wallMs: s.wall_ms };
  }
  return { ok: true, rows, head: prevId === null ? null : { id: prevId, hash: prev }, chainedAtMigration };
}

const normalSql = (s: string) => s.replace(/\s+/g, " ").replace(/;\s*$/, "").trim();

/** The append-only triggers missing from the file or not as chaleur made them (an attacker drops them to rewrite rows). */
export function missingAuditTriggers(db: Database.Database): string[] {
  const have = new Map((db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit'").all() as { name: string; sql: string }[]).map((r) => [r.name, normalSql(r.sql)]));
  return Object.entries(AUDIT_TRIGGERS)
    .filter(([name, sql]) => have.get(name) !== normalSql(sql))
    .map(([name]) => name);
}

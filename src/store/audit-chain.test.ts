import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openWritableHistory } from "./history.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
import { auditRowHash, GENESIS_HASH, missingAuditTriggers, verifyAuditChain, type AuditRowDb } from "./audit-chain.ts";
import { auditVerify } from "../cli/audit.ts";

/**
 * The audit log's hash chain against someone with write access to the history file: they drop the append-only
 * triggers (as anyone with sqlite3 can), then rewrite, insert or remove rows. `chaleur audit verify` names the
 * first row that no longer chains; exit codes 0 intact, 1 broken (InputError, exit 2, for bad input).
 */
const RUN = { startedWallMs: 0, pid: 1, version: "test", config: "test.yaml", model: "m" };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "chaleur-audit-chain-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A history with `n` audit entries appended the way the daemon does (OpsStore.appendAudit). */
function historyWith(n: number): string {
  const file = join(tmp(), "history.sqlite");
  const h = openWritableHistory(file, RUN);
  for (let i = 1; i <= n; i++) h.ops.appendAudit({ timeMs: 1_000 * i, actor: i % 2 ? "ana" : "bob", action: "override.set", target: `hp${i % 3}`, oldValue: null, newValue: `#${i} fixed ${100 + i} kW`, reason: `test entry ${i}` });
  h.close();
  return file;
}

/** Verify through the CLI function: the exit code and its one line. */
function verify(file: string, head?: string): { code: number; line: string } {
  const lines: string[] = [];
  const code = auditVerify({ db: file, ...(head ? { head } : {}) }, (l) => lines.push(l));
  expect(lines).toHaveLength(1);
  return { code, line: lines[0]! };
}

/** The attacker's first move: the append-only triggers gone. */
function attacker(file: string): Database.Database {
  const db = new Database(file);
  db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
  return db;
}

/** An attacker who puts the triggers back afterwards (so only the chain can tell). */
function restoreTriggers(db: Database.Database): void {
  db.exec("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
  db.exec("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
}

const rowOf = (db: Database.Database, id: number) => db.prepare("SELECT id, time_ms, actor, action, target, old_value, new_value, reason, hash FROM audit WHERE id = ?").get(id) as AuditRowDb & { hash: string };

/** Moves rows from `fromId` up by one, leaving `fromId` free (as an insertion in the middle needs). */
function makeRoomAt(db: Database.Database, fromId: number): void {
  db.prepare("UPDATE audit SET id = id + 1000000 WHERE id >= ?").run(fromId);
  db.prepare("UPDATE audit SET id = id - 1000000 + 1 WHERE id >= 1000000").run();
}

describe("the audit chain", () => {
  it("chains each appended row to the one before; verify says intact (exit 0) with the head to record", () => {
    const file = historyWith(12);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT id, time_ms, actor, action, target, old_value, new_value, reason, hash FROM audit ORDER BY id").all() as (AuditRowDb & { hash: string })[];
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.hash).toBe(auditRowHash(prev, r));
      prev = r.hash;
    }
    expect(missingAuditTriggers(db)).toEqual([]);
    db.close();
    const v = verify(file);
    expect(v.code).toBe(0);
    expect(v.line).toContain(`audit log intact: 12 rows chain, head #12 sha256 ${prev}`);
    // The recorded head checks out while nothing changed.
    expect(verify(file, `12:${prev.slice(0, 16)}`).code).toBe(0);
  });

  it("names a rewritten row (triggers dropped and put back): exit 1", () => {
    const file = historyWith(10);
    const db = attacker(file);
    db.prepare("UPDATE audit SET reason = 'nothing to see' WHERE id = 4").run();
    restoreTriggers(db);
    db.close();
    const v = verify(file);
    expect(v.code).toBe(1);
    expect(v.line).toMatch(/audit log broken at row #4: its hash does not chain from row #3/);
  });

  it("names a row inserted in the middle, whether its hash is copied, missing, or computed to fit", () => {
    const copied = historyWith(10);
    let db = attacker(copied);
    makeRoomAt(db, 6);
    db.prepare("INSERT INTO audit (id, time_ms, actor, action, target, old_value, new_value, reason, hash) VALUES (6, 5500, 'eve', 'override.clear', 'hp1', NULL, NULL, 'inserted', ?)").run(rowOf(db, 7).hash);
    restoreTriggers(db);
    db.close();
    expect(verify(copied)).toMatchObject({ code: 1, line: expect.stringMatching(/broken at row #6: /) });

    const missing = historyWith(10);
    db = attacker(missing);
    makeRoomAt(db, 6);
    db.prepare("INSERT INTO audit (id, time_ms, actor, action, target) VALUES (6, 5500, 'eve', 'override.clear', 'hp1')").run();
    db.close();
    expect(verify(missing)).toMatchObject({ code: 1, line: expect.stringMatching(/broken at row #6: it has no hash/) });

    // Hashed to fit after row 5: the row itself chains, the one it pushed along (now #7) no longer does.
    const fitted = historyWith(10);
    db = attacker(fitted);
    makeRoomAt(db, 6);
    const row6: AuditRowDb = { id: 6, time_ms: 5500, actor: "eve", action: "override.clear", target: "hp1", old_value: null, new_value: null, reason: "inserted" };
    db.prepare("INSERT INTO audit (id, time_ms, actor, action, target, old_value, new_value, reason, hash) VALUES (6, 5500, 'eve', 'override.clear', 'hp1', NULL, NULL, 'inserted', ?)").run(auditRowHash(rowOf(db, 5).hash, row6));
    restoreTriggers(db);
    db.close();
    expect(verify(fitted)).toMatchObject({ code: 1, line: expect.stringMatching(/broken at row #7: /) });
  });

  it("names the row after one removed; reports triggers dropped even when every row chains", () => {
    const removed = historyWith(8);
    let db = attacker(removed);
    db.prepare("DELETE FROM audit WHERE id = 3").run();
    restoreTriggers(db);
    db.close();
    expect(verify(removed)).toMatchObject({ code: 1, line: expect.stringMatching(/broken at row #4: its hash does not chain from row #2/) });

    const dropped = historyWith(3);
    attacker(dropped).close();
    expect(verify(dropped)).toMatchObject({ code: 1, line: expect.stringMatching(/append-only triggers audit_no_update, audit_no_delete are missing or altered/) });
  });

  it("a chain recomputed to the end passes on its own, but not against a head recorded before", () => {
    const file = historyWith(6);
    const before = verify(file).line.match(/head #(\d+) sha256 ([0-9a-f]{64})/)!;
    const db = attacker(file);
    db.prepare("UPDATE audit SET reason = 'nothing to see' WHERE id = 2").run();
    let prev = rowOf(db, 1).hash;
    for (let id = 2; id <= 6; id++) {
      prev = auditRowHash(prev, rowOf(db, id));
      db.prepare("UPDATE audit SET hash = ? WHERE id = ?").run(prev, id);
    }
    restoreTriggers(db);
    db.close();
    expect(verify(file).code).toBe(0);
    const v = verify(file, `${before[1]}:${before[2]}`);
    expect(v.code).toBe(1);
    expect(v.line).toMatch(/audit log rewritten: row #6 no longer has the recorded hash/);
  });

  it("upgrading a history of schema 3 chains the rows already there, keeps the triggers, and appends on the chain", () => {
    const file = join(tmp(), "old.sqlite");
    const db = new Database(file);
    for (let v = 0; v < 3; v++) db.exec(MIGRATIONS[v]!);
    db.pragma("user_version = 3");
    for (let i = 1; i <= 4; i++) db.prepare("INSERT INTO audit (time_ms, actor, action, target, reason) VALUES (?, 'ana', 'login', '127.0.0.1', ?)").run(i * 1000, `old ${i}`);
    db.close();
    const h = openWritableHistory(file, RUN);
    expect(h.migration).toBe("upgraded from 3");
    h.ops.appendAudit({ timeMs: 9000, actor: "bob", action: "logout", target: "127.0.0.1", oldValue: null, newValue: null, reason: null });
    h.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(missingAuditTriggers(check)).toEqual([]);
    const verdict = verifyAuditChain(check);
    expect(verdict).toMatchObject({ ok: true, rows: 5, head: { id: 5 }, chainedAtMigration: { id: 4 } });
    check.close();
    const v = verify(file);
    expect(v.code).toBe(0);
    expect(v.line).toMatch(/rows up to #4 were chained at the upgrade of .*, vouched for from then on only/);
    // The triggers still hold for chaleur itself.
    const w = new Database(file);
    expect(() => w.prepare("UPDATE audit SET reason = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => w.prepare("DELETE FROM audit WHERE id = 1").run()).toThrow(/append-only/);
    w.close();
  });

  it("bad input is an InputError naming the file (exit 2): no such file, an older schema, a malformed --head", () => {
    const nowhere = join(tmp(), "nowhere.sqlite");
    expect(() => auditVerify({ db: nowhere }, () => {})).toThrow(`${nowhere}: expected a chaleur history database (no such file)`);
    const old = join(tmp(), "v3.sqlite");
    const db = new Database(old);
    for (let v = 0; v < 3; v++) db.exec(MIGRATIONS[v]!);
    db.pragma("user_version = 3");
    db.close();
    expect(() => auditVerify({ db: old }, () => {})).toThrow(/it is version 3; start the daemon on it once to upgrade it/);
    expect(() => auditVerify({ db: historyWith(1), head: "12:xyz" }, () => {})).toThrow(/--head: expected ID:HASH/);
    expect(verify(historyWith(0)).line).toMatch(/audit log intact: no entries yet/);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { openWritableHistory } from "../src/store/history.ts";

/** `chaleur audit verify` as a process: the exit code and one line for an intact log, a rewritten row, bad input. */
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-cli-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chaleur(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => execFile(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root }, (e, out, err) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err })));
}

describe("chaleur audit verify", () => {
  it("exits 0 with the head on an intact log, 1 naming a rewritten row, 2 on a missing file", { timeout: 60_000 }, async () => {
    const file = join(dir, "history.sqlite");
    const h = openWritableHistory(file, { startedWallMs: 0, pid: 1, version: "t", config: "t", model: "t" });
    for (let i = 1; i <= 5; i++) h.ops.appendAudit({ timeMs: i * 1000, actor: "olga", action: "override.set", target: "hp1", oldValue: null, newValue: `#${i} hp1 forced off`, reason: `entry ${i}` });
    h.close();
    const ok = await chaleur(["audit", "verify", "--db", file]);
    expect(ok.code).toBe(0);
    expect(ok.out.trim().split("\n")).toHaveLength(1);
    expect(ok.out).toMatch(/audit log intact/);
    // Someone with write access drops the append-only triggers, rewrites a reason and puts the triggers back.
    const db = new Database(file);
    db.exec("DROP TRIGGER audit_no_update");
    db.prepare("UPDATE audit SET reason = 'nothing to see' WHERE id = (SELECT MIN(id) + 2 FROM audit)").run();
    db.exec("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
    const id = (db.prepare("SELECT MIN(id) + 2 AS id FROM audit").get() as { id: number }).id;
    db.close();
    const broken = await chaleur(["audit", "verify", "--db", file]);
    expect(broken.code).toBe(1);
    expect(broken.out.trim()).toMatch(new RegExp(`audit log broken at row #${id}:`));
    const missing = await chaleur(["audit", "verify", "--db", join(dir, "nope.sqlite")]);
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split("\n")).toHaveLength(1);
    expect(missing.err).toMatch(/nope\.sqlite/);
  });
});

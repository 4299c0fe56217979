import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { usersAdd } from "../src/cli/users.ts";

/** `chaleur users add` on a history file (issue 18 item 9): it cannot leave the install without an admin. */
let dir: string;
const saved = process.env.CHALEUR_NEW_PASSWORD;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-users-admin-"));
  process.env.CHALEUR_NEW_PASSWORD = "a long enough pass";
});
afterAll(() => {
  if (saved === undefined) delete process.env.CHALEUR_NEW_PASSWORD;
  else process.env.CHALEUR_NEW_PASSWORD = saved;
  rmSync(dir, { recursive: true, force: true });
});

function roles(db: string): Record<string, string> {
  const c = new Database(db, { readonly: true });
  try {
    return Object.fromEntries((c.prepare("SELECT username, role FROM users").all() as { username: string; role: string }[]).map((r) => [r.username, r.role]));
  } finally {
    c.close();
  }
}

describe("chaleur users add", () => {
  it("refuses demoting the last admin (one line, nothing written), and allows it once there is another", { timeout: 60_000 }, async () => {
    const db = join(dir, "history.sqlite");
    expect(await usersAdd({ db, username: "ana", role: "admin" })).toBe(`added ana (admin) in ${db}`);
    await expect(usersAdd({ db, username: "ana", role: "engineer" })).rejects.toThrow("--role: expected admin ('ana' is the last admin: make another user admin first, or nobody could manage users)");
    expect(roles(db)).toEqual({ ana: "admin" });
    // A new password for the last admin, keeping the role, is fine.
    expect(await usersAdd({ db, username: "ana", role: "admin" })).toBe(`updated ana (admin) in ${db}`);
    expect(await usersAdd({ db, username: "bob", role: "admin" })).toBe(`added bob (admin) in ${db}`);
    expect(await usersAdd({ db, username: "ana", role: "engineer" })).toBe(`updated ana (engineer) in ${db}`);
    expect(roles(db)).toEqual({ ana: "engineer", bob: "admin" });
    await expect(usersAdd({ db, username: "bob", role: "viewer" })).rejects.toThrow(/'bob' is the last admin/);
  });
});

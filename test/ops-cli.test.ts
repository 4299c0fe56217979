import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { makeApiRig, PASSWORD, type ApiRig } from "./api-rig.ts";
import { openWritableHistory } from "../src/store/history.ts";
import { verifyPassword } from "../src/api/auth.ts";
import { freePort } from "../src/io/free-port.ts";

/** `chaleur override …` against a live API on loopback, and `chaleur users …` on a history file. */
const root = resolve(import.meta.dirname, "..");
// The CLI keeps its session in a config folder: this test's own, never the user's.
const configDir = mkdtempSync(join(tmpdir(), "chaleur-cli-config-"));
afterAll(() => rmSync(configDir, { recursive: true, force: true }));
// Asynchronous: the API answering these commands runs in this very process.
function chaleur(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, env: { ...process.env, CHALEUR_TOKEN: "", CHALEUR_CONFIG_DIR: configDir, ...env } }, (e, out, err) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }));
  });
}

let a: ApiRig;
let dir: string;
beforeAll(async () => {
  a = await makeApiRig();
  await a.cycles(3);
  dir = mkdtempSync(join(tmpdir(), "chaleur-users-"));
}, 120_000);
afterAll(async () => {
  await a?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("chaleur override", () => {
  it("sets, lists and clears through the API, as the operator it logs in as", { timeout: 120_000 }, async () => {
    const env = { CHALEUR_URL: a.url, CHALEUR_PASSWORD: PASSWORD };
    const set = await chaleur(["override", "set", "--user", "operator", "--target", "gh_boost", "--kind", "limit", "--value", "50", "--for", "1h30m", "--reason", "glazing repair"], env);
    expect(set.err).toBe("");
    expect(set.out).toMatch(/^override #(\d+) gh_boost limit 50 kW: active, until /);
    const id = /#(\d+)/.exec(set.out)![1]!;
    const expiry = Date.parse(/until (\S+)/.exec(set.out)![1]!);
    expect(expiry - a.rig.nowMs()).toBeGreaterThan(89 * 60_000);
    expect(expiry - a.rig.nowMs()).toBeLessThanOrEqual(90 * 60_000);
    const list = await chaleur(["override", "list", "--user", "viewer"], env);
    expect(list.out).toMatch(new RegExp(`#${id}\\s+active\\s+gh_boost limit 50 kW .* by operator: glazing repair`));
    const clear = await chaleur(["override", "clear", id, "--user", "operator", "--reason", "repair done"], env);
    expect(clear.out.trim()).toBe(`override #${id} cleared`);
    const all = await chaleur(["override", "list", "--all", "--user", "viewer"], env);
    expect(all.out).toMatch(/cleared .*\(cleared by operator: repair done\)/);
    const audit = (await a.call("GET", "/api/audit", { auth: await a.bearer("viewer") })).body as { action: string; actor: string }[];
    expect(audit.filter((e) => e.actor === "operator" && e.action.startsWith("override.")).map((e) => e.action)).toEqual(["override.clear", "override.set"]);
  });
  it("says why on one line with exit 2: a viewer, a bad value, no password, no daemon", { timeout: 120_000 }, async () => {
    const env = { CHALEUR_URL: a.url, CHALEUR_PASSWORD: PASSWORD };
    const viewer = await chaleur(["override", "set", "--user", "viewer", "--target", "hp1", "--kind", "off", "--for", "1h", "--reason", "x y z"], env);
    expect([viewer.code, viewer.err.trim()]).toEqual([2, expect.stringMatching(/^chaleur: override set: .*403: this needs the operator role; viewer is a viewer\)$/)]);
    const bad = await chaleur(["override", "set", "--user", "operator", "--target", "hp1", "--kind", "fixed", "--value", "9000", "--for", "1h", "--reason", "x y z"], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/400: value: heat pump hp1 fixed output: expected/);
    // With no session kept (a fresh config folder), no password is no login.
    const fresh = mkdtempSync(join(tmpdir(), "chaleur-cli-config-"));
    const noPw = await chaleur(["override", "list", "--user", "viewer"], { CHALEUR_URL: a.url, CHALEUR_PASSWORD: "", CHALEUR_CONFIG_DIR: fresh });
    rmSync(fresh, { recursive: true, force: true });
    expect([noPw.code, noPw.err.trim()]).toEqual([2, "chaleur: CHALEUR_PASSWORD: expected the password of 'viewer' in the environment"]);
    const closed = await freePort();
    const down = await chaleur(["override", "list", "--user", "viewer", "--url", `http://127.0.0.1:${closed}`], env);
    expect(down.code).toBe(2);
    expect(down.err.trim()).toBe(`chaleur: --url: expected the address of a running chaleur daemon (http://127.0.0.1:${closed}: ECONNREFUSED)`);
  });
});

describe("chaleur users", () => {
  it("adds the first admin of a new install with a scrypt hash, and refuses weak or missing passwords", { timeout: 60_000 }, async () => {
    const db = join(dir, "data", "history.sqlite");
    const add = await chaleur(["users", "add", "--db", db, "--username", "ana", "--role", "admin"], { CHALEUR_NEW_PASSWORD: "a long enough pass" });
    expect(add.out.trim()).toBe(`added ana (admin) in ${db}`);
    const conn = new Database(db, { readonly: true });
    const row = conn.prepare("SELECT role, password_hash FROM users WHERE username = 'ana'").get() as { role: string; password_hash: string };
    conn.close();
    expect(row.role).toBe("admin");
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword("a long enough pass", row.password_hash)).toBe(true);
    expect(await verifyPassword("a long enough pasS", row.password_hash)).toBe(false);
    const weak = await chaleur(["users", "add", "--db", db, "--username", "bob", "--role", "viewer"], { CHALEUR_NEW_PASSWORD: "short" });
    expect([weak.code, weak.err.trim()]).toEqual([2, "chaleur: CHALEUR_NEW_PASSWORD: expected a password of at least 10 characters"]);
    const none = await chaleur(["users", "add", "--db", db, "--username", "bob", "--role", "viewer"], { CHALEUR_NEW_PASSWORD: "" });
    expect(none.code).toBe(2);
    const role = await chaleur(["users", "add", "--db", db, "--username", "bob", "--role", "boss"], { CHALEUR_NEW_PASSWORD: "a long enough pass" });
    expect(role.err.trim()).toBe("chaleur: --role: expected viewer, operator, engineer, admin (got 'boss')");
    expect((await chaleur(["users", "list", "--db", db])).out.trim()).toMatch(/^ana\s+admin$/);
  });
  it("adds a user beside a running daemon holding the history", { timeout: 60_000 }, async () => {
    const db = join(dir, "running.sqlite");
    const h = openWritableHistory(db, { startedWallMs: 0, pid: 1, version: "t", config: "t", model: "t" });
    try {
      const add = await chaleur(["users", "add", "--db", db, "--username", "carl", "--role", "operator"], { CHALEUR_NEW_PASSWORD: "another long one" });
      expect(add.out.trim()).toBe(`added carl (operator) in ${db}`);
      expect(h.ops.user("carl")?.role).toBe("operator");
    } finally {
      h.close();
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { makeAuthRig, type AuthRig } from "./auth-api-rig.ts";
import { PASSWORD } from "./api-rig.ts";
import { overrideClear, overrideList } from "../src/cli/override.ts";
import { logout } from "../src/cli/api-client.ts";
import { sessionFile } from "../src/cli/session-token.ts";
import { draftOverride } from "../src/ops/overrides.ts";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";

/**
 * The CLI's kept session (issue 18 item 7) and `override clear --reason` (item 5), in process against the API on
 * loopback; one real `chaleur` process for commander's required option.
 */
const ENV_KEYS = ["CHALEUR_CONFIG_DIR", "CHALEUR_TOKEN", "CHALEUR_PASSWORD"] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let a: AuthRig;
let dir: string;
beforeAll(async () => {
  a = await makeAuthRig();
  dir = mkdtempSync(join(tmpdir(), "chaleur-cfg-"));
}, 60_000);
beforeEach(() => {
  process.env.CHALEUR_CONFIG_DIR = join(dir, "config");
  process.env.CHALEUR_PASSWORD = PASSWORD;
  delete process.env.CHALEUR_TOKEN;
});
afterAll(async () => {
  for (const k of ENV_KEYS) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
  await a?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kept = () => JSON.parse(readFileSync(sessionFile(), "utf8")).sessions as { url: string; user: string; token: string; expires_at: string }[];

describe("the CLI's kept session", () => {
  it("20 × override list log in once: one bearer session on the daemon, kept in a file of mode 0600 without the password", { timeout: 120_000 }, async () => {
    const before = a.bearerSessions();
    for (let k = 0; k < 20; k++) expect(await overrideList({ url: a.url, user: "viewer" })).toBe("no overrides");
    expect(a.bearerSessions() - before).toBe(1);
    const file = sessionFile();
    expect(file).toBe(join(dir, "config", "session.json"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "config")).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, "utf8")).not.toContain(PASSWORD);
    expect(kept()).toEqual([{ url: a.url, user: "viewer", token: expect.any(String), expires_at: expect.any(String) }]);
    // The kept session alone is enough: no password needed while the daemon accepts it.
    delete process.env.CHALEUR_PASSWORD;
    expect(await overrideList({ url: `${a.url}/`, user: "viewer" })).toBe("no overrides");
    expect(a.bearerSessions() - before).toBe(1);
  });

  it("a session the daemon no longer accepts is replaced by one new login", { timeout: 120_000 }, async () => {
    await overrideList({ url: a.url, user: "operator" });
    const old = kept().find((s) => s.user === "operator")!.token;
    // Ended behind the CLI's back (as a new password for the user, or the session's expiry, would).
    expect((await a.call("POST", "/api/logout", { token: old })).status).toBe(204);
    expect(await overrideList({ url: a.url, user: "operator" })).toBe("no overrides");
    const fresh = kept().find((s) => s.user === "operator")!.token;
    expect(fresh).not.toBe(old);
    expect((await a.call("GET", "/api/overrides", { token: fresh })).status).toBe(200);
    // Ended again with no password at hand: one line saying what is needed, and the dead token is forgotten.
    expect((await a.call("POST", "/api/logout", { token: fresh })).status).toBe(204);
    delete process.env.CHALEUR_PASSWORD;
    await expect(overrideList({ url: a.url, user: "operator" })).rejects.toThrow("CHALEUR_PASSWORD: expected the password of 'operator' in the environment");
    expect(kept().some((s) => s.user === "operator")).toBe(false);
  });

  it("$CHALEUR_TOKEN wins over the kept session and is never written down", { timeout: 60_000 }, async () => {
    await overrideList({ url: a.url, user: "viewer" });
    const fileBefore = readFileSync(sessionFile(), "utf8");
    const token = await a.bearer("engineer");
    process.env.CHALEUR_TOKEN = token;
    const sessions = a.bearerSessions();
    expect(await overrideList({ url: a.url, user: "viewer" })).toBe("no overrides");
    expect(a.bearerSessions()).toBe(sessions);
    expect(readFileSync(sessionFile(), "utf8")).toBe(fileBefore);
    // A wrong one is refused, not silently replaced by a login.
    process.env.CHALEUR_TOKEN = "not-a-token";
    await expect(overrideList({ url: a.url, user: "viewer" })).rejects.toThrow(/401/);
  });

  it("chaleur logout ends the session on the daemon and deletes the file", { timeout: 60_000 }, async () => {
    await overrideList({ url: a.url, user: "viewer" });
    const tokens = kept().map((s) => s.token);
    expect(await logout({ url: a.url })).toBe(`logged out of ${a.url} as viewer`);
    expect(existsSync(sessionFile())).toBe(false);
    for (const t of tokens) expect((await a.call("GET", "/api/overrides", { token: t })).status).toBe(401);
    expect(await logout({ url: a.url })).toBe(`no session kept for ${a.url} (nothing to do)`);
  });
});

describe("chaleur override clear", () => {
  it("needs a reason of a few words, and sends it to the daemon", { timeout: 60_000 }, async () => {
    const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
    const draft = draftOverride(cfg.model, { target: "gh_boost", kind: "limit", value: 50, expiryMs: Date.now() + 3600_000, reason: "glazing repair" }, { username: "operator", role: "operator" }, Date.now(), []);
    const o = a.history.ops.insertOverride(draft);
    await expect(overrideClear({ url: a.url, user: "operator", id: String(o.id), reason: "  " })).rejects.toThrow(/^--reason: expected why the override ends early, in a few words \(at least 3 characters\)/);
    expect(await overrideClear({ url: a.url, user: "operator", id: String(o.id), reason: "repair done" })).toBe(`override #${o.id} cleared`);
    expect(a.history.ops.override(o.id)?.clearReason).toBe("repair done");
  });

  it("without --reason: exit 2 naming the option, before any call to a daemon", { timeout: 60_000 }, async () => {
    const root = resolve(import.meta.dirname, "..");
    const r = await new Promise<{ code: number; err: string }>((done) =>
      execFile(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "override", "clear", "7", "--user", "operator", "--url", "http://127.0.0.1:9"], { cwd: root, env: { ...process.env, CHALEUR_TOKEN: "" } }, (e, _out, err) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, err })),
    );
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("error: required option '--reason <text>' not specified");
  });
});

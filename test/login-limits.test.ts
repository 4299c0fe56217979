import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAuthRig, type AuthRig } from "./auth-api-rig.ts";
import { PASSWORD } from "./api-rig.ts";
import { ROLES } from "../src/ops/roles.ts";

/**
 * Issue 18 ("nobody is locked out"), over the API's routes with a client address per request and the limiter on
 * a clock the test moves: successes never count, a handful of guessing hosts delays a user by at most a minute,
 * and the last admin stays an admin.
 */
let a: AuthRig;
beforeAll(async () => {
  a = await makeAuthRig();
}, 60_000);
afterAll(async () => {
  await a?.close();
});

const login = (username: string, password: string, ip: string) => a.call("POST", "/api/login", { body: { username, password, bearer: true }, ip });

describe("logging in", () => {
  it("25 good logins from the control-room PC, then every role still logs in from it", { timeout: 120_000 }, async () => {
    const pc = "192.168.10.20";
    for (let k = 0; k < 25; k++) expect((await login(ROLES[k % 4]!, PASSWORD, pc)).status).toBe(200);
    for (const role of ROLES) {
      const r = await login(role, PASSWORD, pc);
      expect([role, r.status]).toEqual([role, 200]);
    }
  });

  it("4 × 5 wrong passwords from four addresses: the right one from a fifth gets 429 with Retry-After ≤ 60 s, then gets in", { timeout: 120_000 }, async () => {
    let refusedWhileGuessing = 0;
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]) {
      for (let k = 0; k < 5; k++) {
        let r = await login("operator", `guess ${ip} ${k}`, ip);
        if (r.status === 429) {
          refusedWhileGuessing++;
          a.advance(Number(r.headers["retry-after"]) * 1000);
          r = await login("operator", `guess ${ip} ${k}`, ip);
        }
        expect(r.status).toBe(401);
      }
    }
    const held = await login("operator", PASSWORD, "198.51.100.5");
    expect(held.status).toBe(429);
    const waitS = Number(held.headers["retry-after"]);
    expect(waitS).toBeGreaterThan(0);
    expect(waitS).toBeLessThanOrEqual(60);
    expect(held.body.error).toMatch(/^too many failed logins for this user name .*: try again in \d+ s$/);
    a.advance(waitS * 1000);
    const r = await login("operator", PASSWORD, "198.51.100.5");
    expect(r.status).toBe(200);
    expect(r.body.role).toBe("operator");
    // Meanwhile the guesses were slowed down once the free failures were used up.
    expect(refusedWhileGuessing).toBeGreaterThanOrEqual(10);
  });
});

describe("the last admin", () => {
  it("cannot be demoted (409 with one line), nor removed; with two admins, one may demote the other", { timeout: 120_000 }, async () => {
    const admin = await a.bearer("admin");
    const demote = await a.call("POST", "/api/users", { body: { username: "admin", password: PASSWORD, role: "operator" }, token: admin });
    expect(demote.status).toBe(409);
    expect(demote.body.error).toBe("cannot demote 'admin': the last admin (make another user admin first)");
    expect(a.history.ops.user("admin")?.role).toBe("admin");
    // The refused request changed nothing: the admin's session holds.
    expect((await a.call("GET", "/api/users", { token: admin })).status).toBe(200);
    expect((await a.call("DELETE", "/api/users/admin", { token: admin })).status).toBe(409);

    expect((await a.call("POST", "/api/users", { body: { username: "ana", password: PASSWORD, role: "admin" }, token: admin })).status).toBe(201);
    const ana = await a.bearer("ana");
    expect((await a.call("POST", "/api/users", { body: { username: "admin", password: PASSWORD, role: "engineer" }, token: ana })).status).toBe(200);
    expect(a.history.ops.user("admin")?.role).toBe("engineer");
    const self = await a.call("POST", "/api/users", { body: { username: "ana", password: PASSWORD, role: "viewer" }, token: ana });
    expect([self.status, self.body.error]).toEqual([409, "cannot demote 'ana': the last admin (make another user admin first)"]);
    // An admin's own password may still change (same role).
    expect((await a.call("POST", "/api/users", { body: { username: "ana", password: "a new pass for ana", role: "admin" }, token: ana })).status).toBe(200);
  });
});

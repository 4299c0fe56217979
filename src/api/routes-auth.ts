import type { FastifyInstance } from "fastify";
import { ApiError, authenticate, parse, SESSION_COOKIE, type ApiDeps } from "./context.ts";
import { LoginBody, UserBody, UserParams } from "./schemas.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./auth.ts";
import type { Role } from "../ops/roles.ts";

const WAIT_WHY = {
  user: "too many failed logins for this user name (the wait grows with each failure, at most a minute)",
  address: "too many failed logins from this address",
  busy: "too many logins at once",
} as const;

/** A password hash no password matches, checked when the user does not exist, so both cases take as long. */
let decoyHash: Promise<string> | null = null;

/** Logging in and out, and the users (admin). */
export function registerAuthRoutes(app: FastifyInstance, d: ApiDeps): void {
  app.post("/api/login", async (req, reply) => {
    const b = parse(LoginBody, req.body, "body");
    const start = d.limiter.begin(b.username, req.ip);
    if (!start.ok) {
      reply.header("retry-after", String(start.waitS));
      throw new ApiError(429, `${WAIT_WHY[start.why]}: try again in ${start.waitS} s`);
    }
    let u: ReturnType<typeof d.store.user> = null;
    let ok = false;
    // Whatever fails from here, the attempt ends (a check left running would hold one of the four slots for good).
    try {
      u = d.store.user(b.username);
      decoyHash ??= hashPassword("not a password anyone has");
      ok = (await verifyPassword(b.password, u?.passwordHash ?? (await decoyHash))) && u !== null;
    } finally {
      d.limiter.end(start.attempt, ok);
    }
    if (!u || !ok) {
      d.ops.audit({ actor: b.username, action: "login.failed", target: req.ip, oldValue: null, newValue: null, reason: u ? "wrong password" : "no such user" });
      throw new ApiError(401, "wrong user name or password");
    }
    const { token, row } = d.sessions.create(u.username, b.bearer ? "bearer" : "cookie");
    d.ops.audit({ actor: u.username, action: "login", target: req.ip, oldValue: null, newValue: b.bearer ? "bearer token" : "session", reason: null });
    const body = { username: u.username, role: u.role, csrf_token: b.bearer ? null : row.csrf, expires_at: new Date(row.expiresMs).toISOString() };
    if (b.bearer) return { ...body, token };
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: d.secure, path: "/", expires: new Date(row.expiresMs) });
    return body;
  });

  app.post("/api/logout", async (req, reply) => {
    const s = authenticate(d, req, "viewer", true);
    d.sessions.end(s.tokenHash);
    d.ops.audit({ actor: s.username, action: "logout", target: req.ip, oldValue: null, newValue: null, reason: null });
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.code(204).send();
  });

  app.post("/api/users", async (req, reply) => {
    const s = authenticate(d, req, "admin", true);
    const b = parse(UserBody, req.body, "body");
    const weak = passwordProblem(b.password);
    if (weak) throw new ApiError(400, `body.password: ${weak}`);
    const hash = await hashPassword(b.password);
    // Checked after the hash (the only await), so no other request can slip in between the check and the write.
    const before = d.store.user(b.username);
    if (before?.role === "admin" && b.role !== "admin") refuseLastAdmin(d, b.username, "demote");
    d.store.putUser(b.username, b.role as Role, hash, Date.now());
    d.ops.audit({ actor: s.username, action: before ? "user.update" : "user.add", target: b.username, oldValue: before?.role ?? null, newValue: b.role, reason: null });
    return reply.code(before ? 200 : 201).send({ username: b.username, role: b.role });
  });

  app.delete("/api/users/:username", async (req) => {
    const s = authenticate(d, req, "admin", true);
    const { username } = parse(UserParams, req.params, "path");
    if (username === s.username) throw new ApiError(409, "an admin cannot remove themselves (another admin can)");
    const before = d.store.user(username);
    if (before?.role === "admin") refuseLastAdmin(d, username, "remove");
    if (!before || !d.store.removeUser(username)) throw new ApiError(404, `no user '${username}'`);
    d.ops.audit({ actor: s.username, action: "user.remove", target: username, oldValue: before.role, newValue: null, reason: null });
    return { username, removed: true };
  });
}

/** Nobody could manage users any more (short of `chaleur users add` on the plant PC): 409. */
function refuseLastAdmin(d: ApiDeps, username: string, verb: "demote" | "remove"): void {
  if (d.store.users().filter((u) => u.role === "admin").length <= 1) throw new ApiError(409, `cannot ${verb} '${username}': the last admin (make another user admin first)`);
}

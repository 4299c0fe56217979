import type { FastifyInstance } from "fastify";
import { ApiError, authenticate, parse, SESSION_COOKIE, type ApiDeps } from "./context.ts";
import { LoginBody, UserBody, UserParams } from "./schemas.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./auth.ts";
import type { Role } from "../ops/roles.ts";

/** A password hash no password matches, checked when the user does not exist, so both cases take as long. */
let decoyHash: Promise<string> | null = null;

/** Logging in and out, and the users (admin). */
export function registerAuthRoutes(app: FastifyInstance, d: ApiDeps): void {
  app.post("/api/login", async (req, reply) => {
    const b = parse(LoginBody, req.body, "body");
    const waitS = d.limiter.begin(b.username, req.ip);
    if (waitS !== null) {
      reply.header("retry-after", String(waitS));
      throw new ApiError(429, `too many login attempts for this user or address: try again in ${waitS} s`);
    }
    const u = d.store.user(b.username);
    let ok: boolean;
    try {
      decoyHash ??= hashPassword("not a password anyone has");
      ok = await verifyPassword(b.password, u?.passwordHash ?? (await decoyHash));
    } finally {
      d.limiter.done();
    }
    if (!u || !ok) {
      d.ops.audit({ actor: b.username, action: "login.failed", target: req.ip, oldValue: null, newValue: null, reason: u ? "wrong password" : "no such user" });
      throw new ApiError(401, "wrong user name or password");
    }
    d.limiter.succeeded(b.username, req.ip);
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
    const before = d.store.user(b.username);
    d.store.putUser(b.username, b.role as Role, await hashPassword(b.password), Date.now());
    d.ops.audit({ actor: s.username, action: before ? "user.update" : "user.add", target: b.username, oldValue: before?.role ?? null, newValue: b.role, reason: null });
    return reply.code(before ? 200 : 201).send({ username: b.username, role: b.role });
  });

  app.delete("/api/users/:username", async (req) => {
    const s = authenticate(d, req, "admin", true);
    const { username } = parse(UserParams, req.params, "path");
    if (username === s.username) throw new ApiError(409, "an admin cannot remove themselves (another admin can)");
    const before = d.store.user(username);
    if (!before || !d.store.removeUser(username)) throw new ApiError(404, `no user '${username}'`);
    d.ops.audit({ actor: s.username, action: "user.remove", target: username, oldValue: before.role, newValue: null, reason: null });
    return { username, removed: true };
  });
}

import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { OpsStore } from "../store/ops-store.ts";
import { hashPassword, passwordProblem } from "../api/auth.ts";
import { InputError } from "../config/errors.ts";
import { ROLES, type Role } from "../ops/roles.ts";
import type { Operations } from "./operations.ts";

export interface DemoUser {
  username: string;
  role: Role;
  password: string;
}

/**
 * No built-in password (DESIGN §8). A real install gets its first admin from `chaleur users add` or from
 * CHALEUR_ADMIN_PASSWORD (user CHALEUR_ADMIN_USER, default "admin") at start, if that user does not exist yet.
 * The demo makes one user per role with passwords drawn for this run, and prints them.
 */
export async function ensureUsers(store: OpsStore, ops: Operations, log: Logger, o: { demo: boolean; env: NodeJS.ProcessEnv }): Promise<DemoUser[]> {
  const password = o.env.CHALEUR_ADMIN_PASSWORD;
  if (password) {
    const username = o.env.CHALEUR_ADMIN_USER || "admin";
    const weak = passwordProblem(password);
    if (weak) throw new InputError("CHALEUR_ADMIN_PASSWORD", "", `a password of ${weak}`);
    if (!store.user(username)) {
      store.putUser(username, "admin", await hashPassword(password), Date.now());
      ops.audit({ actor: "environment", action: "user.add", target: username, oldValue: null, newValue: "admin", reason: "CHALEUR_ADMIN_PASSWORD at start" });
      log.info({ event: "user_added", username }, `admin user '${username}' created from CHALEUR_ADMIN_PASSWORD`);
    }
  }
  const made: DemoUser[] = [];
  if (o.demo) {
    const hashed = await Promise.all(ROLES.map(async (role) => {
      const pw = randomBytes(9).toString("base64url");
      return { role, pw, hash: await hashPassword(pw) };
    }));
    for (const { role, pw, hash } of hashed) {
      const existed = store.putUser(role, role, hash, Date.now());
      made.push({ username: role, role, password: pw });
      ops.audit({ actor: "demo", action: existed ? "user.update" : "user.add", target: role, oldValue: null, newValue: role, reason: "demo users get new passwords at each start" });
    }
  }
  if (store.users().length === 0) log.warn({ event: "no_users" }, "no users yet: every login is refused; add one with `chaleur users add --config FILE --username NAME --role admin`");
  return made;
}

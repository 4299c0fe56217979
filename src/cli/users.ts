import { existsSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../config/errors.ts";
import { loadDaemonConfig } from "../config/daemon-config.ts";
import { hashPassword, passwordProblem } from "../api/auth.ts";
import { ROLES, type Role } from "../ops/roles.ts";
import { OpsStore } from "../store/ops-store.ts";
import { openHistoryForWriting } from "../store/open.ts";
import { SCHEMA_VERSION } from "../store/schema.ts";
import { prepareOutputDir } from "./output-path.ts";

/**
 * `chaleur users add|list`: the first admin of a real install (there is no default password), and users later
 * without the HMI. Works on the daemon's history file directly, whether the daemon runs or not: when it runs (its
 * lock is held), users are written beside it over WAL, which SQLite serialises with the daemon's own writes.
 */
export interface UsersOptions {
  config?: string;
  db?: string;
}

function historyFile(o: UsersOptions): string {
  if (o.db && o.config) throw new InputError("--db/--config", "", "one of --db FILE and --config FILE, not both");
  if (o.db) return o.db;
  if (o.config) return loadDaemonConfig(o.config).history.file;
  throw new InputError("--config", "", "the daemon's config (or --db with its history file)");
}

/** The store over the history file, its connection (for transactions) and how to close it. */
function openStore(file: string): { store: OpsStore; db: Database.Database; close(): void } {
  if (!existsSync(file)) prepareOutputDir("history.file", dirname(file));
  try {
    const h = openHistoryForWriting(file);
    return { store: new OpsStore(h.db), db: h.db, close: () => h.close() };
  } catch (e) {
    if (!(e instanceof InputError) || !/another chaleur daemon holds/.test(e.message)) throw e;
  }
  // The daemon runs: its schema is current (it migrated at start); write beside it.
  const db = new Database(file, { timeout: 5000 });
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new InputError(file, "", `a history of schema version ${SCHEMA_VERSION}`, `it is version ${version}`);
  }
  return { store: new OpsStore(db), db, close: () => db.close() };
}

export async function usersAdd(o: UsersOptions & { username: string; role: string }): Promise<string> {
  if (!(ROLES as readonly string[]).includes(o.role)) throw new InputError("--role", "", ROLES.join(", "), `got '${o.role}'`);
  if (!/^[a-z][a-z0-9._-]{1,31}$/.test(o.username)) throw new InputError("--username", "", "2–32 characters: lower-case letters, digits, '.', '_', '-', starting with a letter", `got '${o.username}'`);
  const password = process.env.CHALEUR_NEW_PASSWORD;
  if (!password) throw new InputError("CHALEUR_NEW_PASSWORD", "", "the new user's password in the environment (never on the command line)");
  const weak = passwordProblem(password);
  if (weak) throw new InputError("CHALEUR_NEW_PASSWORD", "", `a password of ${weak}`);
  const file = historyFile(o);
  const hash = await hashPassword(password);
  const { store, db, close } = openStore(file);
  try {
    // One IMMEDIATE transaction: the daemon (or another `users add`) cannot demote the other admin between the
    // check and the write.
    const before = db
      .transaction(() => {
        const was = store.user(o.username);
        if (was?.role === "admin" && o.role !== "admin" && store.users().filter((u) => u.role === "admin").length <= 1) {
          throw new InputError("--role", "", "admin", `'${o.username}' is the last admin: make another user admin first, or nobody could manage users`);
        }
        store.putUser(o.username, o.role as Role, hash, Date.now());
        return was;
      })
      .immediate();
    // After the transaction: the audit append syncs to disk on its own (a pragma SQLite refuses inside one).
    store.appendAudit({ timeMs: Date.now(), actor: `cli:${process.env.USER ?? "?"}`, action: before ? "user.update" : "user.add", target: o.username, oldValue: before?.role ?? null, newValue: o.role, reason: "chaleur users add" });
    return `${before ? "updated" : "added"} ${o.username} (${o.role}) in ${file}`;
  } finally {
    close();
  }
}

export function usersList(o: UsersOptions): string {
  const file = historyFile(o);
  if (!existsSync(file)) return `no users: ${file} does not exist yet (add one: chaleur users add)`;
  const { store, close } = openStore(file);
  try {
    const us = store.users();
    return us.length ? us.map((u) => `${u.username.padEnd(20)} ${u.role}`).join("\n") : "no users (add one: chaleur users add)";
  } finally {
    close();
  }
}

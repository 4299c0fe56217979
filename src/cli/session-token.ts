import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The bearer sessions the CLI keeps between calls, so that `chaleur override list` run every minute by a script
 * logs in once, not every time (each login is a session on the daemon and 32 MiB of scrypt). One JSON file, mode
 * 0600 in a folder of mode 0700, beside the user's config: $CHALEUR_CONFIG_DIR, else $XDG_CONFIG_HOME/chaleur,
 * else ~/.config/chaleur. A session is keyed by the daemon's origin and the user name. The file holds the token
 * (which the daemon stores only as a hash) and when it expires; never a password.
 */
export interface KeptSession {
  /** The daemon's origin, e.g. http://127.0.0.1:8080. */
  url: string;
  user: string;
  token: string;
  expires_at: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHALEUR_CONFIG_DIR) return env.CHALEUR_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "chaleur");
}

export function sessionFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "session.json");
}

/** The kept sessions not yet expired; none if the file is missing or unreadable (it is rewritten at the next login). */
export function readSessions(file: string, nowMs = Date.now()): KeptSession[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
  const list = (parsed as { sessions?: unknown }).sessions;
  if (!Array.isArray(list)) return [];
  return list.filter((s): s is KeptSession => {
    const k = s as Partial<KeptSession>;
    return typeof k.url === "string" && typeof k.user === "string" && typeof k.token === "string" && typeof k.expires_at === "string" && Date.parse(k.expires_at) > nowMs;
  });
}

/**
 * Replaces the file's sessions (deleting it when none is left). Written to a new file of mode 0600, then renamed
 * over the old one: the token is never readable by others, not even for a moment, and a CLI run at the same time
 * reads either the old file or the new one, never half of one.
 */
export function writeSessions(file: string, sessions: readonly KeptSession[], dir = configDir()): void {
  if (!sessions.length) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.session.json.${process.pid}.${randomBytes(4).toString("hex")}`);
  writeFileSync(tmp, `${JSON.stringify({ sessions }, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  renameSync(tmp, file);
}

export function findSession(sessions: readonly KeptSession[], url: string, user: string): KeptSession | null {
  return sessions.find((s) => s.url === url && s.user === user) ?? null;
}

/** Keeps one session for (url, user), replacing any other for the same pair. */
export function keepSession(s: KeptSession, env: NodeJS.ProcessEnv = process.env): void {
  const file = sessionFile(env);
  writeSessions(file, [...readSessions(file).filter((k) => !(k.url === s.url && k.user === s.user)), s], configDir(env));
}

/** Forgets the sessions of (url, user), or of every user at url. */
export function forgetSessions(url: string, user: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const file = sessionFile(env);
  writeSessions(file, readSessions(file).filter((k) => !(k.url === url && (user === undefined || k.user === user))), configDir(env));
}

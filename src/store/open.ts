import Database from "better-sqlite3";
import { existsSync, rmSync, statSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { migrate, SCHEMA_VERSION } from "./schema.ts";

/**
 * Opening the history, refusing with one line (and leaving the file as it was) when it cannot serve: not a
 * database, corrupt, written by a newer chaleur, or held by another daemon. The file is first opened read-only and
 * checked; only then is it opened for writing (WAL mode writes the header), so a refused file is never touched.
 *
 * One writer: the daemon holds an exclusive SQLite lock on a side file `<file>.lock` for as long as it runs. The
 * operating system drops that lock when the process dies, even by SIGKILL, so a crashed daemon never leaves a stale
 * lock behind (a pid file would). Readers (export, report) take no lock: WAL lets them read beside the writer.
 */
export interface OpenedHistory {
  db: Database.Database;
  file: string;
  /** What opening did to the schema. */
  migration: "current" | "created" | `upgraded from ${number}`;
  close(): void;
}

const SQLITE_FILE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: "the file is not an SQLite database",
  SQLITE_CORRUPT: "the database is corrupt",
  SQLITE_CANTOPEN: "the file cannot be opened",
  SQLITE_READONLY: "the file is read-only",
  SQLITE_IOERR: "the file cannot be read",
  SQLITE_PERM: "no permission to open the file",
  SQLITE_FULL: "the disk is full",
};

function refuse(file: string, e: unknown): never {
  if (e instanceof InputError) throw e;
  const code = (e as { code?: string }).code ?? "";
  const known = Object.entries(SQLITE_FILE_PROBLEMS).find(([k]) => code.startsWith(k));
  throw new InputError(file, "", "a chaleur history database", known ? `${known[1]}: ${(e as Error).message}` : (e as Error).message);
}

/** Checks a file read-only: a database, intact, not from a newer chaleur. Returns its schema version. */
function check(file: string, deep: boolean): number {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new InputError(file, "", `a history of schema version ≤ ${SCHEMA_VERSION}`, `it is version ${version}, written by a newer chaleur; this one leaves it untouched`);
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
    if (version === 0 && tables > 0) throw new InputError(file, "", "a chaleur history database", `it is an SQLite database of something else (${tables} objects, no chaleur schema version); this one leaves it untouched`);
    if (deep) {
      const rows = db.pragma("quick_check(5)") as { quick_check: string }[];
      const bad = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
      if (bad.length) throw new InputError(file, "", "an intact history database", `PRAGMA quick_check: ${bad.join("; ")}`);
    }
    return version;
  } catch (e) {
    return refuse(file, e);
  } finally {
    db?.close();
  }
}

/** Holds `<file>.lock` exclusively; throws if another daemon holds it. */
function takeLock(file: string): () => void {
  const lockFile = `${file}.lock`;
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === "SQLITE_BUSY") throw new InputError(file, "", "a history no other process writes", `another chaleur daemon holds ${lockFile}; stop it first, or give this one its own data_dir`);
    refuse(lockFile, e);
  }
  return () => {
    lock.close();
    rmSync(lockFile, { force: true });
    rmSync(`${lockFile}-journal`, { force: true });
  };
}

/** Opens (creating if absent) the daemon's history for writing: checked, locked, WAL, migrated. */
export function openHistoryForWriting(file: string, o: { busyTimeoutMs?: number } = {}): OpenedHistory {
  if (existsSync(file) && !statSync(file).isFile()) throw new InputError(file, "", "a history database file", "it is a directory or a device");
  const release = takeLock(file);
  try {
    const existed = existsSync(file) && statSync(file).size > 0;
    if (existed) check(file, true);
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: o.busyTimeoutMs ?? 5000 });
      db.pragma("journal_mode = WAL");
      // NORMAL in WAL: a committed transaction survives a process crash (it is in the WAL, in the OS's cache); only
      // a power cut can lose the last commits, never corrupt. The audit log switches to FULL for its own writes.
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
    } catch (e) {
      refuse(file, e);
    }
    let outcome;
    try {
      outcome = migrate(db);
    } catch (e) {
      db.close();
      refuse(file, e);
    }
    if (outcome.kind === "newer") {
      db.close();
      throw new InputError(file, "", `a history of schema version ≤ ${SCHEMA_VERSION}`, `it is version ${outcome.version}`);
    }
    const migration = outcome.kind === "upgraded" ? (`upgraded from ${outcome.from}` as const) : outcome.kind;
    return {
      db,
      file,
      migration,
      close() {
        if (db.open) {
          // Folds the WAL back into the file, so a stopped daemon leaves one file behind.
          try {
            db.pragma("wal_checkpoint(TRUNCATE)");
          } catch {
            // A reader holding the WAL open only delays the checkpoint; the data is safe in the WAL.
          }
          db.close();
        }
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** Opens an existing history read-only (export, report; beside a running daemon). */
export function openHistoryForReading(file: string, o: { anyVersion?: boolean } = {}): OpenedHistory {
  if (!existsSync(file)) throw new InputError(file, "", "a history database", "no such file");
  const version = check(file, false);
  if (version < SCHEMA_VERSION && !o.anyVersion) throw new InputError(file, "", `a history of schema version ${SCHEMA_VERSION}`, `it is version ${version}; start the daemon on it once to upgrade it`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    refuse(file, e);
  }
  return { db, file, migration: "current", close: () => db.close() };
}

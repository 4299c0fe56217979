import { existsSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { openHistoryForReading } from "../store/open.ts";
import { missingAuditTriggers, verifyAuditChain } from "../store/audit-chain.ts";

export const EXIT_INTACT = 0;
export const EXIT_BROKEN = 1;

/**
 * `chaleur audit verify --db FILE`: walks the audit log's hash chain (store/audit-chain.ts), read-only (beside a
 * running daemon too). Prints one line: intact, with the head to keep elsewhere (exit 0), or the first row that
 * does not chain / the append-only triggers gone (exit 1). Bad input (no such file, not a history, an older
 * schema) throws InputError: the CLI prints it on one line and exits 2.
 */
export function auditVerify(o: { db: string; head?: string }, print: (line: string) => void = console.log): number {
  const expected = o.head === undefined ? null : parseHead(o.head);
  if (!existsSync(o.db)) throw new InputError(o.db, "", "a chaleur history database", "no such file");
  const h = openHistoryForReading(o.db);
  try {
    const v = verifyAuditChain(h.db);
    if (!v.ok) {
      print(`${o.db}: audit log broken at row #${v.id}: ${v.why}; the rows before it chain`);
      return EXIT_BROKEN;
    }
    const missing = missingAuditTriggers(h.db);
    if (missing.length) {
      print(`${o.db}: audit log tampered with: the append-only trigger${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing or altered (the ${v.rows} rows chain)`);
      return EXIT_BROKEN;
    }
    if (expected) {
      const row = h.db.prepare("SELECT hash FROM audit WHERE id = ?").get(expected.id) as { hash: string | null } | undefined;
      if (!row || !row.hash?.startsWith(expected.hash)) {
        print(`${o.db}: audit log rewritten: row #${expected.id} ${row ? `no longer has the recorded hash ${expected.hash}` : "is gone"} (the chain was recomputed, or the log cut short, since it was recorded)`);
        return EXIT_BROKEN;
      }
    }
    if (!v.head) {
      print(`${o.db}: audit log intact: no entries yet`);
      return EXIT_INTACT;
    }
    const since = v.chainedAtMigration ? `; rows up to #${v.chainedAtMigration.id} were chained at the upgrade of ${new Date(v.chainedAtMigration.wallMs).toISOString()}, vouched for from then on only` : "";
    print(`${o.db}: audit log intact: ${v.rows} rows chain, head #${v.head.id} sha256 ${v.head.hash} (record it: --head ${v.head.id}:${v.head.hash.slice(0, 16)} checks later that nothing up to it changed)${since}`);
    return EXIT_INTACT;
  } finally {
    h.close();
  }
}

/** `--head ID:HASH` (a hash prefix of at least 16 hex digits): a head recorded by an earlier verify. */
function parseHead(text: string): { id: number; hash: string } {
  const m = /^#?(\d+):([0-9a-fA-F]{16,64})$/.exec(text.trim());
  if (!m) throw new InputError("--head", "", "ID:HASH as printed by an earlier verify, e.g. 1234:9f86d081884c7d65", `got '${text}'`);
  return { id: Number(m[1]), hash: m[2]!.toLowerCase() };
}

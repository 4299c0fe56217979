import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { makeApiRig, type ApiRig, type Auth } from "./api-rig.ts";
import { auditRowHash, GENESIS_HASH, type AuditRowDb } from "../src/store/audit-chain.ts";

/**
 * `GET /api/audit` past 10,000 entries (it used to stop there without a word): pages by cursor, the CSV download
 * whole; `/api/overrides?all` and `/api/alarms?all` say when they are cut. Over a real loopback socket.
 */
let a: ApiRig;
let viewer: Auth;
const N = 10_050;
const T0 = Date.UTC(2001, 8, 9); // a day of its own, apart from the rig's entries
const RANGE = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 86_400_000).toISOString()}`;
let bulkIds: number[] = [];

/** Rows written beside the daemon (as `chaleur users add` does), chained, in one transaction: 10,050 in a second. */
function appendBulk(file: string, rows: Omit<AuditRowDb, "id">[]): number[] {
  const db = new Database(file, { timeout: 5000 });
  try {
    return db
      .transaction(() => {
        const last = db.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").get() as { id: number; hash: string } | undefined;
        let prev = last?.hash ?? GENESIS_HASH;
        let id = last?.id ?? 0;
        const ins = db.prepare("INSERT INTO audit (id, time_ms, actor, action, target, old_value, new_value, reason, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const ids: number[] = [];
        for (const r of rows) {
          const row = { ...r, id: ++id };
          prev = auditRowHash(prev, row);
          ins.run(row.id, row.time_ms, row.actor, row.action, row.target, row.old_value, row.new_value, row.reason, prev);
          ids.push(row.id);
        }
        return ids;
      })
      .immediate();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  a = await makeApiRig();
  viewer = await a.login("viewer");
  bulkIds = appendBulk(
    a.history.file,
    Array.from({ length: N }, (_, i) => ({ time_ms: T0 + i * 1000, actor: "bulk", action: "login", target: "127.0.0.1", old_value: null, new_value: null, reason: i === N - 1 ? "ok;=1+1" : `entry ${i}` })),
  );
}, 120_000);
afterAll(async () => {
  await a?.close();
});

const ids = (body: { id: number }[]) => body.map((e) => e.id);
const newestFirst = () => [...bulkIds].reverse();

describe("GET /api/audit pages", () => {
  it("JSON: 10,000 at most by default, and says so: x-truncated, x-next-cursor, x-total-count; the next page has the rest", async () => {
    const first = await a.call("GET", `/api/audit?${RANGE}`, { auth: viewer });
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(10_000);
    expect(first.headers.get("x-truncated")).toBe("true");
    expect(first.headers.get("x-total-count")).toBe(String(N));
    const cursor = first.headers.get("x-next-cursor");
    expect(cursor).toBe(String(first.body.at(-1).id));
    const rest = await a.call("GET", `/api/audit?${RANGE}&before_id=${cursor}`, { auth: viewer });
    expect(rest.headers.get("x-truncated")).toBe("false");
    expect(rest.headers.get("x-next-cursor")).toBeNull();
    expect([...ids(first.body), ...ids(rest.body)]).toEqual(newestFirst());
  });

  it("walking small pages with the cursor gives every entry once, newest first", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 30; page++) {
      const r = await a.call("GET", `/api/audit?${RANGE}&limit=500${cursor ? `&before_id=${cursor}` : ""}`, { auth: viewer });
      expect(r.status).toBe(200);
      seen.push(...ids(r.body));
      cursor = r.headers.get("x-next-cursor");
      if (r.headers.get("x-truncated") === "false") break;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(newestFirst());
  });

  it("CSV without a limit is the whole range, streamed; with a limit it is a page with the same headers", async () => {
    const all = await a.call("GET", `/api/audit?${RANGE}&format=csv`, { auth: viewer });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(all.headers.get("x-truncated")).toBe("false");
    const lines = all.text.trimEnd().split("\n");
    expect(lines[0]).toBe("id,time,actor,action,target,old_value,new_value,reason");
    expect(lines.slice(1).map((l) => Number(l.split(",")[0]))).toEqual(newestFirst());
    // The newest entry's reason, neutralised for a spreadsheet opening the file with ';'.
    expect(lines[1]).toMatch(/,"ok;'=1\+1"$/);

    const page = await a.call("GET", `/api/audit?${RANGE}&format=csv&limit=10`, { auth: viewer });
    expect(page.text.trimEnd().split("\n")).toHaveLength(11);
    expect(page.headers.get("x-truncated")).toBe("true");
    expect(page.headers.get("x-next-cursor")).toBe(String(bulkIds.at(-10)));
  });

  it("refuses a bad cursor or limit with a 400 naming it", async () => {
    for (const [q, says] of [
      ["limit=0", /query\.limit/],
      ["limit=10001", /query\.limit/],
      ["before_id=abc", /query\.before_id/],
      ["before_id=-3", /query\.before_id/],
    ] as const) {
      const r = await a.call("GET", `/api/audit?${q}`, { auth: viewer });
      expect([q, r.status]).toEqual([q, 400]);
      expect(r.body.error).toMatch(says);
    }
  });
});

describe("other lists say when they are cut", () => {
  it("/api/overrides?all=true and /api/alarms?all=true: the newest 500, x-truncated true and x-total-count beyond", async () => {
    const before = await a.call("GET", "/api/overrides?all=true", { auth: viewer });
    expect(before.headers.get("x-truncated")).toBe("false");
    expect(before.headers.get("x-total-count")).toBe(String(before.body.length));
    const db = new Database(a.history.file, { timeout: 5000 });
    db.transaction(() => {
      for (let i = 0; i < 510; i++) db.prepare("INSERT INTO overrides (created_ms, author, target, kind, value, start_ms, expiry_ms, reason, cleared_ms, cleared_by, clear_reason) VALUES (?, 'ana', 'hp1', 'off', NULL, ?, ?, 'old', ?, 'ana', 'done')").run(T0, T0, T0 + 60_000, T0 + 1000);
      for (let i = 0; i < 510; i++) {
        const alarm = { id: 100_000 + i, code: "test", source: "test", priority: "low", state: "closed", active: false, message: "old", action: "none", raisedMs: T0, clearedMs: T0 + 1, ackedMs: T0 + 2, ackedBy: "ana", shelvedUntilMs: null, shelvedBy: null, shelveReason: null };
        db.prepare("INSERT INTO alarms (id, code, source, priority, state, message, action, raised_ms, cleared_ms, acked_ms, acked_by, detail) VALUES (?, 'test', 'test', 'low', 'closed', 'old', 'none', ?, ?, ?, 'ana', ?)").run(alarm.id, T0, T0 + 1, T0 + 2, JSON.stringify(alarm));
      }
    })();
    db.close();
    for (const path of ["/api/overrides?all=true", "/api/alarms?all=true"]) {
      const r = await a.call("GET", path, { auth: viewer });
      expect(r.status).toBe(200);
      expect(r.body).toHaveLength(500);
      expect([path, r.headers.get("x-truncated")]).toEqual([path, "true"]);
      expect(Number(r.headers.get("x-total-count"))).toBeGreaterThanOrEqual(510);
    }
    // The lists without all=true are never cut.
    expect((await a.call("GET", "/api/alarms", { auth: viewer })).headers.get("x-truncated")).toBe("false");
  });
});

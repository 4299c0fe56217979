import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { FastifyInstance, FastifyReply } from "fastify";
import { filter, map, merge, type Subscription } from "rxjs";
import { alarmBody, AUDIT_CSV_HEADER, auditBody, auditCsvLines, overrideBody, planBody, stateBody } from "./views.ts";
import { ApiError, authenticate, parse, type ApiDeps } from "./context.ts";
import { AllQuery, AUDIT_MAX_LIMIT, AuditQuery, HistoryQuery } from "./schemas.ts";

const H = 3600_000;
/** A history query spans at most a year (15-min means beyond the raw window: 35,000 rows at most to thin). */
const MAX_HISTORY_MS = 366 * 24 * H;
const RAW_HISTORY_MAX_MS = 48 * H;

export function stateNow(d: ApiDeps) {
  return stateBody(d.daemon.status$.value, d.daemon.samples, { overridesActive: d.ops.activeCount(d.nowMs()), alarms: d.ops.alarmCounts() });
}

/**
 * The state as JSON text, made once per change of the daemon's status or of the operators' side and served to
 * every client in between: a control room's screens and scripts polling it cost the cycle's event loop little.
 */
function stateCache(d: ApiDeps): () => string {
  let status: unknown = null;
  let opsVersion = -1;
  let text = "";
  return () => {
    const s = d.daemon.status$.value;
    if (s !== status || d.ops.version !== opsVersion) {
      status = s;
      opsVersion = d.ops.version;
      text = JSON.stringify(stateNow(d));
    }
    return text;
  };
}

/** Live streams one login may hold open (a few browser tabs), and what a stream may buffer for a slow client. */
const MAX_STREAMS_PER_SESSION = 4;
const MAX_STREAM_BUFFER_BYTES = 1024 * 1024;
/** Audit entries read per query while a CSV download streams: each query holds the daemon's event loop briefly. */
const CSV_PAGE_ROWS = 1000;

/** A list that may be cut says so: x-truncated, and x-total-count (how many there are). */
function listHeaders(reply: FastifyReply, shown: number, total: number): void {
  reply.header("x-truncated", String(total > shown)).header("x-total-count", String(total));
}

/**
 * The whole range as CSV, newest first, read page by page with a turn of the event loop between pages (a cycle
 * is never held up by a long download). Entries appended meanwhile are above the first page's ids: the file is
 * the log as it was when the download began.
 */
async function* auditCsvStream(d: ApiDeps, fromMs: number, toMs: number, beforeId: number | undefined): AsyncGenerator<string> {
  yield AUDIT_CSV_HEADER;
  let cursor = beforeId;
  for (;;) {
    const page = d.store.auditPage({ fromMs, toMs, ...(cursor !== undefined ? { beforeId: cursor } : {}), limit: CSV_PAGE_ROWS });
    if (page.entries.length) yield auditCsvLines(page.entries);
    if (!page.more) return;
    cursor = page.entries.at(-1)!.id;
    await nextTurn();
  }
}

export function registerReadRoutes(app: FastifyInstance, d: ApiDeps): void {
  const state = stateCache(d);
  app.get("/api/me", async (req) => {
    const s = authenticate(d, req, "viewer", false);
    return { username: s.username, role: s.role, csrf_token: s.kind === "cookie" ? s.csrf : null, expires_at: new Date(s.expiresMs).toISOString() };
  });

  app.get("/api/state", async (req, reply) => {
    authenticate(d, req, "viewer", false);
    return reply.type("application/json; charset=utf-8").send(state());
  });

  app.get("/api/plan", async (req) => {
    authenticate(d, req, "viewer", false);
    const body = planBody(d.daemon.planStore, d.nowMs());
    if (!body) throw new ApiError(404, "no plan yet: chaleur is starting, or has none it may follow (see the mode)");
    return body;
  });

  app.get("/api/history", async (req) => {
    authenticate(d, req, "viewer", false);
    const q = parse(HistoryQuery, req.query, "query");
    const toMs = q.to ? Date.parse(q.to) : d.nowMs();
    const fromMs = q.from ? Date.parse(q.from) : toMs - 6 * H;
    if (!(fromMs < toMs)) throw new ApiError(400, "query.from: expected a time before query.to");
    if (toMs - fromMs > MAX_HISTORY_MS) throw new ApiError(400, "query: at most 366 days per query");
    const wanted = q.columns ? q.columns.split(",").map((c) => c.trim()).filter(Boolean) : null;
    const unknown = (wanted ?? []).filter((n) => !d.columns.includes(n));
    if (unknown.length) throw new ApiError(400, `query.columns: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${d.columns.join(", ")})`);
    const maxPoints = q.max_points ?? 2000;
    const times: number[] = [];
    const rows: (number | null)[][] = [];
    let names: string[] | null = null;
    // Beyond two days, the 15-min means (at most 35,000 rows a year) rather than every cycle (8,640 a day): a long
    // query must not hold the daemon's event loop for long.
    const source = toMs - fromMs > RAW_HISTORY_MAX_MS ? d.reader.cycleMeans(fromMs, toMs) : d.reader.cycles(fromMs, toMs);
    for (const c of source) {
      names ??= wanted ?? c.names;
      const idx = names.map((n) => c.names.indexOf(n));
      times.push(c.timeMs);
      rows.push(idx.map((i) => (i < 0 || !Number.isFinite(c.values[i]!) ? null : c.values[i]!)));
    }
    return { columns: ["time", ...(names ?? wanted ?? d.columns)], rows: thin(times, rows, maxPoints) };
  });

  app.get("/api/override-targets", async (req) => {
    authenticate(d, req, "viewer", false);
    return d.ops.targets().map((t) => ({ target: t.target, label: t.label, kinds: t.kinds.map((k) => ({ kind: k.kind, label: k.label, unit: k.unit, min: k.min, max: k.max })) }));
  });

  app.get("/api/overrides", async (req, reply) => {
    authenticate(d, req, "viewer", false);
    const q = parse(AllQuery, req.query, "query");
    const now = d.nowMs();
    const all = q.all === "true";
    const list = d.ops.overrides(all);
    listHeaders(reply, list.length, all ? d.store.overrideCount() : list.length);
    return list.map((o) => overrideBody(o, now));
  });

  app.get("/api/alarms", async (req, reply) => {
    authenticate(d, req, "viewer", false);
    const q = parse(AllQuery, req.query, "query");
    const all = q.all === "true";
    const list = d.ops.alarms(all);
    listHeaders(reply, list.length, all ? d.store.alarmCount() : list.length);
    return list.map(alarmBody);
  });

  // Newest first, a page at a time: x-next-cursor (when x-truncated is true) is the before_id of the next page. A
  // CSV without a limit is the whole range, streamed: a download is complete or it fails, it is never cut short.
  app.get("/api/audit", async (req, reply) => {
    authenticate(d, req, "viewer", false);
    const q = parse(AuditQuery, req.query, "query");
    const fromMs = q.from ? Date.parse(q.from) : 0;
    const toMs = q.to ? Date.parse(q.to) : Number.MAX_SAFE_INTEGER;
    const total = d.store.auditCount(fromMs, toMs);
    const csv = q.format === "csv";
    if (csv) reply.type("text/csv; charset=utf-8").header("content-disposition", 'attachment; filename="chaleur-audit.csv"');
    if (csv && q.limit === undefined) {
      reply.header("x-truncated", "false").header("x-total-count", String(total));
      return reply.send(Readable.from(auditCsvStream(d, fromMs, toMs, q.before_id)));
    }
    const page = d.store.auditPage({ fromMs, toMs, ...(q.before_id !== undefined ? { beforeId: q.before_id } : {}), limit: q.limit ?? AUDIT_MAX_LIMIT });
    reply.header("x-truncated", String(page.more)).header("x-total-count", String(total));
    if (page.more) reply.header("x-next-cursor", String(page.entries.at(-1)!.id));
    return csv ? reply.send(AUDIT_CSV_HEADER + auditCsvLines(page.entries)) : page.entries.map(auditBody);
  });

  app.get("/api/users", async (req) => {
    authenticate(d, req, "admin", false);
    return d.store.users().map((u) => ({ username: u.username, role: u.role, created: new Date(u.createdMs).toISOString() }));
  });

  // Server-sent events: each cycle's state, each plan, each override, alarm and audit change.
  const streams = new Map<string, number>();
  app.get("/api/events", (req, reply) => {
    const s = authenticate(d, req, "viewer", false);
    const open = streams.get(s.tokenHash) ?? 0;
    if (open >= MAX_STREAMS_PER_SESSION) throw new ApiError(429, `at most ${MAX_STREAMS_PER_SESSION} live streams per login`);
    streams.set(s.tokenHash, open + 1);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    let done = false;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    let sub: Subscription | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(keepAlive);
      sub?.unsubscribe();
      const n = (streams.get(s.tokenHash) ?? 1) - 1;
      if (n > 0) streams.set(s.tokenHash, n);
      else streams.delete(s.tokenHash);
      if (!res.writableEnded) res.end();
    };
    // A client that stops reading is dropped rather than buffered for; a session that ended (logout, expiry, the
    // user removed or given a new password) ends its streams at their next event.
    const write = (text: string) => {
      if (done || res.writableEnded || res.destroyed) return finish();
      if (res.writableLength > MAX_STREAM_BUFFER_BYTES || !d.sessions.alive(s.tokenHash)) return finish();
      res.write(text);
    };
    const send = (type: string, json: string) => write(`event: ${type}\ndata: ${json}\n\n`);
    res.on("close", finish);
    res.on("error", finish);
    // A comment line now and then keeps proxies and browsers from timing the stream out.
    keepAlive = setInterval(() => write(": keep-alive\n\n"), 15_000);
    send("state", state());
    let lastCycle = d.daemon.status$.value.cycles;
    sub = merge(
      d.daemon.status$.pipe(
        filter((st) => st.cycles !== lastCycle),
        map((st) => ((lastCycle = st.cycles), { type: "state", json: state() })),
      ),
      d.daemon.plans$.pipe(map((p) => ({ type: "plan", json: JSON.stringify(planBody(p, d.nowMs())) }))),
      d.ops.events$.pipe(map((e) => ({ type: e.type, json: JSON.stringify(e.type === "alarm" ? alarmBody(e.data) : e.type === "audit" ? auditBody(e.data) : { action: e.data.action, override: overrideBody(e.data.override, d.nowMs()) }) }))),
    ).subscribe((e) => send(e.type, e.json));
    if (done) sub.unsubscribe();
  });
}

/** At most maxPoints rows: consecutive rows averaged in equal groups (a min/max band is the chart's business). */
function thin(times: number[], rows: (number | null)[][], maxPoints: number): (string | number | null)[][] {
  const group = Math.max(1, Math.ceil(rows.length / maxPoints));
  const out: (string | number | null)[][] = [];
  for (let k = 0; k < rows.length; k += group) {
    const slice = rows.slice(k, k + group);
    const width = slice[0]!.length;
    const means = Array.from({ length: width }, (_, j) => {
      const vs = slice.map((r) => r[j]).filter((v): v is number => v !== null);
      return vs.length ? Math.round((vs.reduce((a, v) => a + v, 0) / vs.length) * 1000) / 1000 : null;
    });
    out.push([new Date(times[k]!).toISOString(), ...means]);
  }
  return out;
}

import { afterAll, describe, expect, it } from "vitest";
import { makeApiRig, type ApiRig } from "./api-rig.ts";
import { RequestBudget } from "../src/api/request-budget.ts";

/** Clearing is deliberate, lock-outs belong to their author or an engineer, alarms acknowledged in one action, requests bounded (issue 18 items 5, 6, 11, 12). */
const rigs: ApiRig[] = [];
afterAll(async () => {
  for (const r of rigs) await r.close();
});

async function rig(): Promise<ApiRig> {
  const a = await makeApiRig();
  rigs.push(a);
  await a.cycles(3);
  return a;
}

describe("clearing an override", () => {
  it("needs a reason; an engineer's lock-out is cleared by its author or an engineer, never by an operator", { timeout: 180_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    const eng = await a.login("engineer");
    const lock = await a.call("POST", "/api/overrides", { body: { target: "hp2", kind: "lockout", duration_min: 3 * 24 * 60, reason: "compressor open, do not start" }, auth: eng });
    expect(lock.status).toBe(201);
    const id = lock.body.id as number;
    expect((await a.call("DELETE", `/api/overrides/${id}`, { body: {}, auth: eng })).status).toBe(400);
    expect((await a.call("DELETE", `/api/overrides/${id}`, { body: { reason: " " }, auth: eng })).body.error).toMatch(/^body\.reason: required/);
    const refused = await a.call("DELETE", `/api/overrides/${id}`, { body: { reason: "looks done" }, auth: op });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(`override #${id} is a lock-out set by engineer: only engineer or an engineer can clear it`);
    expect(((await a.call("GET", "/api/overrides", { auth: op })).body as { id: number }[]).map((o) => o.id)).toContain(id);
    const audit = (await a.call("GET", "/api/audit", { auth: op })).body as { action: string; actor: string }[];
    expect(audit[0]).toMatchObject({ action: "override.clear_refused", actor: "operator" });
    const cleared = await a.call("DELETE", `/api/overrides/${id}`, { body: { reason: "compressor closed, tested" }, auth: eng });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ status: "cleared", cleared_by: "engineer", clear_reason: "compressor closed, tested" });
    // An operator's own lock-out is theirs to lift; any other override of anyone's, any operator.
    const own = await a.call("POST", "/api/overrides", { body: { target: "hp1", kind: "lockout", duration_min: 60, reason: "valve check" }, auth: op });
    expect((await a.call("DELETE", `/api/overrides/${own.body.id}`, { body: { reason: "valve fine" }, auth: op })).status).toBe(200);
    const limit = await a.call("POST", "/api/overrides", { body: { target: "gh_boost", kind: "limit", value: 20, duration_min: 60, reason: "crop trial" }, auth: eng });
    expect((await a.call("DELETE", `/api/overrides/${limit.body.id}`, { body: { reason: "trial over" }, auth: op })).status).toBe(200);
  });
});

describe("acknowledge-all", () => {
  it("acknowledges each alarm listed, audited one by one, and names those it could not", { timeout: 180_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    const plcs = [...a.rig.plant.transports.keys()];
    for (const p of plcs.slice(0, 2)) a.rig.plant.transports.get(p)!.offline = true;
    await a.cycles(3);
    const open = (await a.call("GET", "/api/alarms", { auth: op })).body as { id: number; state: string }[];
    const ids = open.filter((x) => x.state === "unack").map((x) => x.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const r = await a.call("POST", "/api/alarms/ack", { body: { ids: [...ids, 9999] }, auth: op });
    expect(r.status).toBe(200);
    expect(r.body.acked.map((x: { id: number }) => x.id).sort()).toEqual([...ids].sort());
    expect(r.body.acked.every((x: { state: string; acked_by: string }) => x.state === "ack" && x.acked_by === "operator")).toBe(true);
    expect(r.body.skipped).toEqual([{ id: 9999, reason: "no open alarm 9999" }]);
    const acks = ((await a.call("GET", "/api/audit", { auth: op })).body as { action: string; target: string }[]).filter((e) => e.action === "alarm.ack");
    expect(acks).toHaveLength(ids.length);
    // Nothing left to acknowledge: each is named as already done.
    expect((await a.call("POST", "/api/alarms/ack", { body: { ids }, auth: op })).body.skipped).toHaveLength(ids.length);
    expect((await a.call("POST", "/api/alarms/ack", { body: { ids: [] }, auth: op })).status).toBe(400);
    const viewer = await a.login("viewer");
    expect((await a.call("POST", "/api/alarms/ack", { body: { ids }, auth: viewer })).status).toBe(403);
  });
});

describe("override requests", () => {
  it("are bounded per user: past the burst a 429 with Retry-After, other users unaffected", { timeout: 180_000 }, async () => {
    const a = await rig();
    const op = await a.bearer("operator");
    const bad = { target: "hp9", kind: "off", duration_min: 10, reason: "typo storm" };
    const statuses: number[] = [];
    for (let k = 0; k < 22; k++) statuses.push((await a.call("POST", "/api/overrides", { body: bad, auth: op })).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    const last = await a.call("POST", "/api/overrides", { body: bad, auth: op });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    const eng = await a.bearer("engineer");
    expect((await a.call("POST", "/api/overrides", { body: bad, auth: eng })).status).toBe(400);
  });

  it("refill at the stated rate (a token bucket in wall time)", () => {
    let now = 0;
    const b = new RequestBudget({ burst: 3, perMinute: 6, nowMs: () => now });
    expect([b.take("u"), b.take("u"), b.take("u")]).toEqual([null, null, null]);
    expect(b.take("u")).toBe(10);
    expect(b.take("v")).toBeNull();
    now += 10_000;
    expect(b.take("u")).toBeNull();
    expect(b.take("u")).toBe(10);
    now += 3_600_000;
    expect([b.take("u"), b.take("u"), b.take("u"), b.take("u")]).toEqual([null, null, null, 10]);
  });
});

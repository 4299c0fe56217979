import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { makeApiRig, register, type ApiRig } from "./api-rig.ts";
import { openWritableHistory } from "../src/store/history.ts";
import { Operations } from "../src/daemon/operations.ts";
import { loadModel } from "../src/config/plant-model.ts";

/**
 * Overrides, alarms and the audit log through the API, against the daemon's core and the in-process simulated
 * plant: what the PLC's register holds is read from the simulated PLC, not from the daemon's own account.
 */
const apiRigs: ApiRig[] = [];
afterAll(async () => {
  for (const r of apiRigs) await r.close();
});

describe("an override", () => {
  it("is written to the PLC at once, planned around, audited, cleared early, and the plan returns", { timeout: 180_000 }, async () => {
    const a = await makeApiRig();
    apiRigs.push(a);
    await a.cycles(4);
    const op = await a.login("operator");
    const before = register(a, "hp2_heat_setpoint_kw");
    const value = before > 300 ? 200 : 450;
    const created = await a.call("POST", "/api/overrides", { body: { target: "hp2", kind: "fixed", value, duration_min: 120, reason: "network operator asked for a test" }, auth: op });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await a.cycles(1);
    expect(register(a, "hp2_heat_setpoint_kw")).toBeCloseTo(value, 3);
    expect(register(a, "hp2_enable")).toBe(1);
    // The plan was remade around it at once, and holds it over its window.
    const plan = (await a.call("GET", "/api/plan", { auth: op })).body;
    expect(plan.trigger).toBe("override");
    expect(plan.overrides).toContain(id);
    const covered = plan.steps.filter((s: { time: string }) => Date.parse(s.time) < Date.parse(created.body.expiry) - 15 * 60_000);
    expect(covered.length).toBeGreaterThan(3);
    for (const s of covered) expect(s.hps[1].heat_kw).toBeCloseTo(value, 3);
    const audit = (await a.call("GET", "/api/audit", { auth: op })).body as { action: string; actor: string; reason: string; new_value: string }[];
    expect(audit[0]).toMatchObject({ action: "override.set", actor: "operator", reason: "network operator asked for a test" });
    expect(audit[0]!.new_value).toMatch(new RegExp(`#${id} hp2 fixed ${value} kW`));
    // Cleared early: the next cycle's plan is made without it, and the register follows the plan again.
    expect((await a.call("DELETE", `/api/overrides/${id}`, { body: { reason: "test done" }, auth: op })).status).toBe(200);
    await a.cycles(2);
    const after = (await a.call("GET", "/api/plan", { auth: op })).body;
    expect(after.overrides).not.toContain(id);
    expect(register(a, "hp2_heat_setpoint_kw")).not.toBeCloseTo(value, 0);
    expect((await a.call("GET", "/api/overrides", { auth: op })).body).toEqual([]);
    const csv = await a.call("GET", "/api/audit?format=csv", { auth: op });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.text.split("\n")[0]).toBe("id,time,actor,action,target,old_value,new_value,reason");
    expect(csv.text).toMatch(/override\.clear,hp2,#\d+ hp2 fixed/);
  });

  it("expires by itself: the unit goes back to the plan, and the expiry is audited once", { timeout: 180_000 }, async () => {
    const a = await makeApiRig();
    apiRigs.push(a);
    await a.cycles(3);
    const op = await a.bearer("operator");
    const r = await a.call("POST", "/api/overrides", { body: { target: "hp1", kind: "off", duration_min: 2, reason: "short stop" }, auth: op });
    expect(r.status).toBe(201);
    await a.cycles(1);
    expect(register(a, "hp1_enable")).toBe(0);
    await a.cycles(14); // 140 s of plant time at 10 s a cycle
    const all = (await a.call("GET", "/api/overrides?all=true", { auth: op })).body as { id: number; status: string }[];
    expect(all.find((o) => o.id === r.body.id)!.status).toBe("expired");
    const audit = (await a.call("GET", "/api/audit", { auth: op })).body as { action: string; actor: string }[];
    expect(audit.filter((e) => e.action === "override.expire")).toHaveLength(1);
    expect(audit.find((e) => e.action === "override.expire")!.actor).toBe("chaleur");
    const plan = (await a.call("GET", "/api/plan", { auth: op })).body;
    expect(plan.overrides).toEqual([]);
    expect(a.rig.daemon.status$.value.overridesApplied).toEqual([]);
  });

  it("that would break cooling first is refused with the figures, audited, and nothing is written", { timeout: 180_000 }, async () => {
    const a = await makeApiRig();
    apiRigs.push(a);
    await a.cycles(3);
    const eng = await a.login("engineer");
    for (const body of [
      { target: "hp1", kind: "lockout" },
      { target: "hp2", kind: "lockout" },
      { target: "dry_coolers", kind: "limit", value: 0 },
    ]) expect((await a.call("POST", "/api/overrides", { body: { ...body, duration_min: 60, reason: "maintenance campaign" }, auth: eng })).status).toBe(201);
    const refused = await a.call("POST", "/api/overrides", { body: { target: "chiller", kind: "limit", value: 0, duration_min: 60, reason: "chiller service" }, auth: eng });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/^cooling first: at .* the servers give \d+ kW; with chiller at most 0 kW the plant could take at most \d+ kW \(dry coolers 0 kW at -?\d+\.\d °C outdoor, chiller 0 kW, heat pumps 0 kW/);
    const pending = (await a.call("GET", "/api/overrides", { auth: eng })).body as { target: string }[];
    expect(pending.map((o) => o.target).sort()).toEqual(["dry_coolers", "hp1", "hp2"]);
    const audit = (await a.call("GET", "/api/audit", { auth: eng })).body as { action: string; reason: string }[];
    expect(audit[0]!.action).toBe("override.refused");
    expect(audit[0]!.reason).toMatch(/refused: cooling first/);
    // The three accepted ones leave a feasible plan: the chiller takes the heat.
    await a.cycles(2);
    expect(a.rig.daemon.status$.value.mode).toBe("optimal");
    expect((await a.call("GET", "/api/plan", { auth: eng })).body.steps[0].chiller_kw).toBeGreaterThan(500);
  });
});

describe("the optimizer as the judge of an override", () => {
  it("refuses what only the plan sees (heat the network is promised with both heat pumps out) and accepts what a plan can do", { timeout: 180_000 }, async () => {
    const a = await makeApiRig({ checkPlan: true });
    apiRigs.push(a);
    await a.cycles(3);
    const eng = await a.login("engineer");
    for (const target of ["hp1", "hp2"]) expect((await a.call("POST", "/api/overrides", { body: { target, kind: "lockout", duration_min: 600, reason: "overhaul" }, auth: eng })).status).toBe(201);
    // 1.5 MW to the network for 10 h with no heat pump: the store runs dry within the hour. The capacity check does
    // not look at promised heat; the relaxation finds no plan.
    const r = await a.call("POST", "/api/overrides", { body: { target: "dh_sold", kind: "setpoint", value: 1500, duration_min: 600, reason: "CPCU test" }, auth: eng });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/^no plan is possible with dh_sold setpoint 1500 kW in force: the optimizer finds no schedule, even relaxed/);
    // A promise the store can keep (200 kW for an hour) passes.
    expect((await a.call("POST", "/api/overrides", { body: { target: "dh_sold", kind: "setpoint", value: 200, duration_min: 60, reason: "CPCU test" }, auth: eng })).status).toBe(201);
    await a.cycles(2);
    expect(a.rig.daemon.status$.value.mode).toBe("optimal");
  });
});

describe("alarms", () => {
  it("a PLC that stops answering raises one alarm; it is acknowledged, shelved and unshelved through the API, and every action is audited", { timeout: 180_000 }, async () => {
    const a = await makeApiRig();
    apiRigs.push(a);
    await a.cycles(3);
    const op = await a.login("operator");
    const plcName = [...a.rig.plant.transports.keys()][1]!;
    a.rig.plant.transports.get(plcName)!.offline = true;
    await a.cycles(3);
    const alarms = (await a.call("GET", "/api/alarms", { auth: op })).body as { id: number; code: string; source: string; state: string; priority: string; action: string }[];
    const plc = alarms.filter((x) => x.source === plcName);
    expect(plc.map((x) => x.code)).toEqual(["plc_unreachable"]);
    expect(plc[0]).toMatchObject({ state: "unack", priority: "high" });
    expect(plc[0]!.action.length).toBeGreaterThan(20);
    const id = plc[0]!.id;
    expect((await a.call("POST", `/api/alarms/${id}/ack`, { body: {}, auth: op })).body.state).toBe("ack");
    expect((await a.call("POST", `/api/alarms/${id}/ack`, { body: {}, auth: op })).status).toBe(409);
    const shelved = await a.call("POST", `/api/alarms/${id}/shelve`, { body: { duration_min: 30, reason: "PLC swap in progress" }, auth: op });
    expect(shelved.body).toMatchObject({ state: "shelved", shelved_by: "operator", shelve_reason: "PLC swap in progress" });
    expect((await a.call("POST", `/api/alarms/${id}/unshelve`, { body: {}, auth: op })).body.state).toBe("unack");
    // Back online: the alarm returns to normal and waits for its acknowledgement.
    a.rig.plant.transports.get(plcName)!.offline = false;
    await a.cycles(3);
    const back = (await a.call("GET", "/api/alarms", { auth: op })).body.find((x: { id: number }) => x.id === id);
    expect(back.state).toBe("rtn_unack");
    expect((await a.call("POST", `/api/alarms/${id}/ack`, { body: {}, auth: op })).body.state).toBe("closed");
    const actions = ((await a.call("GET", "/api/audit", { auth: op })).body as { action: string }[]).map((e) => e.action).filter((x) => x.startsWith("alarm."));
    expect(actions).toEqual(["alarm.ack", "alarm.unshelve", "alarm.shelve", "alarm.ack"]);
  });
});

describe("a restart", () => {
  it("keeps active overrides, open alarms and the whole audit log", { timeout: 180_000 }, async () => {
    const a = await makeApiRig();
    await a.cycles(3);
    const op = await a.login("operator");
    expect((await a.call("POST", "/api/overrides", { body: { target: "dh_sold", kind: "limit", value: 500, duration_min: 240, reason: "network call" }, auth: op })).status).toBe(201);
    a.rig.plant.transports.get([...a.rig.plant.transports.keys()][0]!)!.offline = true;
    await a.cycles(3);
    const before = { overrides: (await a.call("GET", "/api/overrides", { auth: op })).body, alarms: (await a.call("GET", "/api/alarms", { auth: op })).body, audit: (await a.call("GET", "/api/audit", { auth: op })).body };
    expect(before.alarms.length).toBeGreaterThan(0);
    await a.close(true);
    const b = await makeApiRig({ dir: a.dir });
    apiRigs.push(b);
    // The rig's clock starts where the first one did; a restart takes a minute.
    b.rig.idle(60);
    const op2 = await b.login("operator");
    expect((await b.call("GET", "/api/overrides", { auth: op2 })).body).toEqual(before.overrides);
    // The life cycle is kept (a message's figures are saved with each change of state, not each cycle).
    const lifeCycle = (xs: { message?: string }[]) => xs.map(({ message: _m, ...rest }) => rest);
    expect(lifeCycle((await b.call("GET", "/api/alarms", { auth: op2 })).body)).toEqual(lifeCycle(before.alarms));
    const audit = (await b.call("GET", "/api/audit", { auth: op2 })).body as unknown[];
    expect(audit.slice(1)).toEqual(before.audit);
    // And the restarted daemon writes the override on its first cycles.
    await b.cycles(2);
    expect(register(b, "dh_sold_setpoint_kw")).toBeLessThanOrEqual(500 + 1e-6);
  });
});

describe("an override that ends while no daemon runs", () => {
  it("is audited as expired at the next start, once", () => {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-ops-"));
    try {
      const h = openWritableHistory(join(dir, "h.sqlite"), { startedWallMs: 0, pid: 1, version: "t", config: "t", model: "t" });
      const t0 = Date.UTC(2026, 0, 13, 5);
      h.ops.insertOverride({ target: "hp1", kind: "off", value: null, startMs: t0, expiryMs: t0 + 3600_000, reason: "night stop", author: "olga", createdMs: t0 });
      const deps = { model: loadModel("models/paris-chapelle.yaml"), store: h.ops, log: pino({ level: "silent" }), criticalTags: [], grid: [900] };
      new Operations({ ...deps, nowMs: () => t0 + 1800_000 });
      expect(h.ops.audit(0, Infinity).filter((e) => e.action === "override.expire")).toHaveLength(0);
      new Operations({ ...deps, nowMs: () => t0 + 2 * 3600_000 });
      new Operations({ ...deps, nowMs: () => t0 + 3 * 3600_000 });
      const expired = h.ops.audit(0, Infinity).filter((e) => e.action === "override.expire");
      expect(expired).toHaveLength(1);
      expect(expired[0]).toMatchObject({ actor: "chaleur", target: "hp1", oldValue: "#1 hp1 forced off" });
      expect(expired[0]!.reason).toMatch(/while chaleur was stopped/);
      h.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import {
  ackAlarm, type Alarm, AlarmActionError, type AlarmCondition, alarmConditions, type AlarmConditionsInput,
  MAX_SHELVE_MS, shelveAlarm, stepAlarms, unshelveAlarm,
} from "./alarms.ts";

const T0 = Date.UTC(2025, 0, 15, 8, 0, 0);
const S = 1000;
const H = 3600_000;

function ids(start = 1): () => number {
  let n = start;
  return () => n++;
}

const plcDown: AlarmCondition = { code: "plc_unreachable", source: "substation", priority: "high", message: "PLC substation unreachable: timeout", action: "check it" };
const ghHot = (t: number): AlarmCondition => ({ code: "gh_out_of_band", source: "greenhouse", priority: "low", message: `greenhouse ${t} °C`, action: "ventilate" });

/** Raises one alarm for `c` at T0 and returns the list. */
function raised(c: AlarmCondition = plcDown): Alarm[] {
  return stepAlarms([], [c], T0, ids()).alarms;
}

function thrown(f: () => unknown): AlarmActionError {
  try {
    f();
  } catch (e) {
    if (e instanceof AlarmActionError) return e;
    throw e;
  }
  throw new Error("expected an AlarmActionError");
}

function input(p: Partial<AlarmConditionsInput> = {}): AlarmConditionsInput {
  return {
    nowMs: T0, mode: "optimal", modeCause: "verified plan", modeSinceMs: T0 - H, opcua: "up", opcuaError: null,
    plcs: { "heat-pumps": { up: true, error: null, mismatches: [] } }, samples: new Map([["gh.temp_c", { value: 21, quality: "good" }]]),
    criticalTags: ["gh.temp_c"], greenhouse: { tempC: 21, minC: 20, maxC: 24, damageC: 29 },
    storage: { energyKwh: 5000, capacityKwh: 10000 }, dhDemandKw: 800, dhSoldKw: 800, planFailuresInARow: 0, lastPlanFailure: null,
    ...p,
  };
}

const codes = (cs: AlarmCondition[]): string[] => cs.map((c) => `${c.code}:${c.source}`);

describe("alarm life cycle (ISA-18.2)", () => {
  it("a new condition raises one unack, active alarm with the caller's id; a second step with it changes nothing", () => {
    const r = stepAlarms([], [plcDown], T0, ids(41));
    expect(r.alarms).toHaveLength(1);
    expect(r.alarms[0]).toMatchObject({ id: 41, code: "plc_unreachable", source: "substation", state: "unack", active: true, raisedMs: T0, clearedMs: null });
    expect(r.changed).toEqual(r.alarms);
    const again = stepAlarms(r.alarms, [{ ...plcDown, message: "PLC substation unreachable: refused" }], T0 + 5 * S, ids(99));
    expect(again.changed).toEqual([]);
    expect(again.alarms).toHaveLength(1);
    // The message follows the value but is not an event by itself.
    expect(again.alarms[0]).toMatchObject({ id: 41, state: "unack", message: "PLC substation unreachable: refused" });
  });

  it("unack → ack → closed when the condition goes away; the closed alarm leaves the list and is reported", () => {
    const a = raised();
    const acked = ackAlarm(a, 1, "alice", T0 + 10 * S);
    expect(acked.changed).toMatchObject({ id: 1, state: "ack", active: true, ackedBy: "alice", ackedMs: T0 + 10 * S });
    expect(a[0]!.state).toBe("unack"); // no mutation
    const cleared = stepAlarms(acked.alarms, [], T0 + 20 * S, ids(99));
    expect(cleared.alarms).toEqual([]);
    expect(cleared.changed).toHaveLength(1);
    expect(cleared.changed[0]).toMatchObject({ id: 1, state: "closed", active: false, clearedMs: T0 + 20 * S });
  });

  it("unack → rtn_unack when it clears unacknowledged (still listed), then closed on ack", () => {
    const r = stepAlarms(raised(), [], T0 + 20 * S, ids(99));
    expect(r.changed).toHaveLength(1);
    expect(r.alarms[0]).toMatchObject({ id: 1, state: "rtn_unack", active: false, clearedMs: T0 + 20 * S, message: plcDown.message });
    // Staying normal is no further change.
    expect(stepAlarms(r.alarms, [], T0 + 30 * S, ids(99)).changed).toEqual([]);
    const acked = ackAlarm(r.alarms, 1, "bob", T0 + 40 * S);
    expect(acked.alarms).toEqual([]);
    expect(acked.changed).toMatchObject({ id: 1, state: "closed", ackedBy: "bob", clearedMs: T0 + 20 * S });
  });

  it("a rtn_unack alarm whose condition returns is re-activated (same id, unack), not duplicated", () => {
    const rtn = stepAlarms(raised(), [], T0 + 20 * S, ids(99)).alarms;
    const back = stepAlarms(rtn, [plcDown], T0 + 30 * S, ids(99));
    expect(back.alarms).toHaveLength(1);
    expect(back.alarms[0]).toMatchObject({ id: 1, state: "unack", active: true, clearedMs: null, raisedMs: T0 });
    expect(back.changed.map((a) => a.id)).toEqual([1]);
  });

  it("once closed, a new occurrence is a new alarm with a new id", () => {
    const acked = ackAlarm(raised(), 1, "alice", T0 + S).alarms;
    const closed = stepAlarms(acked, [], T0 + 2 * S, ids(99)).alarms;
    expect(closed).toEqual([]);
    const again = stepAlarms(closed, [plcDown], T0 + 3 * S, ids(7));
    expect(again.alarms).toHaveLength(1);
    expect(again.alarms[0]).toMatchObject({ id: 7, state: "unack", raisedMs: T0 + 3 * S, ackedBy: null });
  });

  it("a priority change of an open alarm is reported; ack errors are 404/409 with one line", () => {
    const a = raised(ghHot(25));
    const r = stepAlarms(a, [{ ...ghHot(26), priority: "medium" }], T0 + S, ids(99));
    expect(r.changed).toMatchObject([{ id: 1, priority: "medium", state: "unack" }]);
    expect(thrown(() => ackAlarm(a, 5, "alice", T0)).status).toBe(404);
    const acked = ackAlarm(a, 1, "alice", T0).alarms;
    const twice = thrown(() => ackAlarm(acked, 1, "bob", T0));
    expect(twice.status).toBe(409);
    expect(twice.message).toBe("alarm 1 is already acknowledged (by alice)");
    expect(thrown(() => ackAlarm([{ ...a[0]!, state: "closed" }], 1, "bob", T0)).status).toBe(409);
    expect(thrown(() => ackAlarm(a, 1, " ", T0)).status).toBe(400);
  });
});

describe("shelving", () => {
  it("hides the alarm: it tracks its condition silently, with no visible transition", () => {
    const sh = shelveAlarm(raised(ghHot(25)), 1, "alice", T0 + H, "sensor being replaced", T0);
    expect(sh.changed).toMatchObject({ id: 1, state: "shelved", shelvedUntilMs: T0 + H, shelvedBy: "alice", shelveReason: "sensor being replaced" });
    const gone = stepAlarms(sh.alarms, [], T0 + 60 * S, ids(99));
    expect(gone.changed).toEqual([]);
    expect(gone.alarms[0]).toMatchObject({ state: "shelved", active: false, clearedMs: T0 + 60 * S });
    const back = stepAlarms(gone.alarms, [ghHot(26)], T0 + 120 * S, ids(99));
    expect(back.changed).toEqual([]);
    expect(back.alarms).toHaveLength(1);
    expect(back.alarms[0]).toMatchObject({ id: 1, state: "shelved", active: true, clearedMs: null, message: "greenhouse 26 °C" });
  });

  it("returns to unack when the shelf expires and the condition is still present (even if acked before)", () => {
    const acked = ackAlarm(raised(), 1, "alice", T0 + S).alarms;
    const sh = shelveAlarm(acked, 1, "alice", T0 + H, "known network outage", T0 + 2 * S).alarms;
    expect(stepAlarms(sh, [plcDown], T0 + H - 1, ids(99)).changed).toEqual([]);
    const r = stepAlarms(sh, [plcDown], T0 + H, ids(99));
    expect(r.changed).toHaveLength(1);
    expect(r.alarms[0]).toMatchObject({ id: 1, state: "unack", active: true, ackedBy: null, ackedMs: null, shelvedUntilMs: null, shelvedBy: null, shelveReason: null });
  });

  it("closes when the shelf expires or is lifted after the condition cleared", () => {
    const sh = shelveAlarm(raised(), 1, "alice", T0 + H, "maintenance", T0).alarms;
    const cleared = stepAlarms(sh, [], T0 + 10 * S, ids(99)).alarms;
    const expired = stepAlarms(cleared, [], T0 + H + S, ids(99));
    expect(expired.alarms).toEqual([]);
    expect(expired.changed).toMatchObject([{ id: 1, state: "closed", active: false, clearedMs: T0 + 10 * S }]);
    const lifted = unshelveAlarm(cleared, 1, "bob", T0 + 20 * S);
    expect(lifted.alarms).toEqual([]);
    expect(lifted.changed).toMatchObject({ id: 1, state: "closed" });
    const liftedActive = unshelveAlarm(sh, 1, "bob", T0 + 20 * S);
    expect(liftedActive.changed).toMatchObject({ id: 1, state: "unack", active: true });
  });

  it("refuses a shelf without a reason, ending in the past or beyond 24 h, twice, or of nothing", () => {
    const a = raised();
    const noReason = thrown(() => shelveAlarm(a, 1, "alice", T0 + H, "  ", T0));
    expect(noReason.status).toBe(400);
    expect(noReason.message).not.toContain("\n");
    expect(thrown(() => shelveAlarm(a, 1, "alice", T0, "why", T0)).status).toBe(400);
    expect(thrown(() => shelveAlarm(a, 1, "alice", T0 - S, "why", T0)).status).toBe(400);
    expect(thrown(() => shelveAlarm(a, 1, "alice", T0 + MAX_SHELVE_MS + 1, "why", T0)).status).toBe(400);
    expect(shelveAlarm(a, 1, "alice", T0 + MAX_SHELVE_MS, "why", T0).changed.state).toBe("shelved");
    expect(thrown(() => shelveAlarm(a, 2, "alice", T0 + H, "why", T0)).status).toBe(404);
    const sh = shelveAlarm(a, 1, "alice", T0 + H, "why", T0).alarms;
    expect(thrown(() => shelveAlarm(sh, 1, "bob", T0 + H, "why", T0)).status).toBe(409);
    expect(thrown(() => ackAlarm(sh, 1, "bob", T0)).status).toBe(409);
    expect(thrown(() => unshelveAlarm(a, 1, "bob", T0)).status).toBe(409);
    expect(MAX_SHELVE_MS).toBe(24 * 3600_000);
  });
});

describe("alarm conditions: one alarm for one cause", () => {
  it("a healthy plant has no condition", () => {
    expect(alarmConditions(input())).toEqual([]);
  });

  it("OPC UA down with 25 tags in comm_error gives exactly one alarm, not 25", () => {
    const samples = new Map(Array.from({ length: 25 }, (_, i) => [`tag${i}`, { value: Number.NaN, quality: "comm_error", detail: "no connection" }] as const));
    const c = alarmConditions(input({ opcua: "down", opcuaError: "ECONNREFUSED 127.0.0.1:4840", samples, greenhouse: { tempC: null, minC: 20, maxC: 24, damageC: 29 } }));
    expect(codes(c)).toEqual(["opcua_down:opcua"]);
    expect(c[0]).toMatchObject({ priority: "high", message: "OPC UA link down: ECONNREFUSED 127.0.0.1:4840" });
    const r = stepAlarms([], c, T0, ids());
    expect(r.alarms).toHaveLength(1);
    // With the link up but no data through it (a stalled session: 25 tags stale at once), still one link alarm.
    const stale = new Map([...samples].map(([t], i) => [t, { value: 1, quality: i % 2 ? "stale" : "comm_error" }] as const));
    const up = alarmConditions(input({ samples: stale }));
    expect(codes(up)).toEqual(["opcua_no_data:opcua"]);
    expect(up[0]!.message).toMatch(/^OPC UA link up but 25 of 25 tags carry no fresh value \(comm_error\/stale\), e\.g\. tag0, tag1, tag2$/);
    // Two stale tags among 25 good ones are those sensors' own business.
    const few = new Map([...stale].map(([t, x], i) => [t, i < 2 ? { ...x, quality: "stale" } : { value: 1, quality: "good" }] as const));
    expect(codes(alarmConditions(input({ samples: few })))).toEqual(["tag_bad:tag0", "tag_bad:tag1"]);
  });

  it("a stall of every link (3 PLCs, OPC UA stale) is one alarm per link, not one per tag", () => {
    const samples = new Map(Array.from({ length: 25 }, (_, i) => [`tag${i}`, { value: 1, quality: "stale" }] as const));
    const plcs = Object.fromEntries(["heat_pumps", "substation", "greenhouse"].map((p) => [p, { up: false, error: `${p}: Timed out`, mismatches: [] }]));
    expect(codes(alarmConditions(input({ samples, plcs })))).toEqual(["opcua_no_data:opcua", "plc_unreachable:heat_pumps", "plc_unreachable:substation", "plc_unreachable:greenhouse"]);
  });

  it("tag_bad: one per tag not good, message with tag, quality and detail; critical tags medium", () => {
    const samples = new Map([
      ["gh.temp_c", { value: 80, quality: "bad_range", detail: "80 outside [-10, 50]" }],
      ["dh.demand_kw", { value: 700, quality: "stale" }],
      ["storage.energy_kwh", { value: 10, quality: "good" }],
    ]);
    const c = alarmConditions(input({ samples, greenhouse: { tempC: null, minC: 20, maxC: 24, damageC: 29 } }));
    expect(c).toMatchObject([
      { code: "tag_bad", source: "gh.temp_c", priority: "medium", message: "gh.temp_c: bad_range (80 outside [-10, 50])" },
      { code: "tag_bad", source: "dh.demand_kw", priority: "low", message: "dh.demand_kw: stale" },
    ]);
    // A sensor's own fault is still its own alarm while the link is down; a stale value is the link's.
    expect(codes(alarmConditions(input({ opcua: "down", samples })))).toEqual(["opcua_down:opcua", "tag_bad:gh.temp_c"]);
  });

  it("an unreachable PLC is one high alarm, without write_not_read_back; read-back mismatches alone are medium", () => {
    const plcs = {
      substation: { up: false, error: "substation: connect ETIMEDOUT", mismatches: [] },
      greenhouse: { up: false, error: "greenhouse: read-back differs: gh_boost_setpoint_kw wrote 100, PLC holds 0", mismatches: ["gh_boost_setpoint_kw"] },
      "heat-pumps": { up: true, error: null, mismatches: [] },
    };
    const c = alarmConditions(input({ plcs }));
    expect(c).toMatchObject([
      { code: "plc_unreachable", source: "substation", priority: "high", message: "PLC substation unreachable: substation: connect ETIMEDOUT" },
      { code: "write_not_read_back", source: "greenhouse", priority: "medium" },
    ]);
    expect(c.filter((x) => x.source === "substation")).toHaveLength(1);
  });

  it("gh_out_of_band only beyond 0.5 K outside the band; gh_damage (high) replaces it at the damage temperature", () => {
    const gh = (tempC: number) => codes(alarmConditions(input({ greenhouse: { tempC, minC: 20, maxC: 24, damageC: 29 } })));
    expect(gh(24.5)).toEqual([]);
    expect(gh(24.6)).toEqual(["gh_out_of_band:greenhouse"]);
    expect(gh(19.6)).toEqual([]);
    expect(gh(19.4)).toEqual(["gh_out_of_band:greenhouse"]);
    expect(gh(29)).toEqual(["gh_damage:greenhouse"]);
    const dmg = alarmConditions(input({ greenhouse: { tempC: 31.2, minC: 20, maxC: 24, damageC: 29 } }));
    expect(dmg).toMatchObject([{ code: "gh_damage", priority: "high", message: "greenhouse 31.2 °C, above its 29 °C damage temperature" }]);
  });

  it("mode_not_optimal only after 120 s; medium when held or rule, high when safe, naming mode and cause", () => {
    const at = (mode: AlarmConditionsInput["mode"], sinceS: number) => alarmConditions(input({ mode, modeCause: "solver timed out", modeSinceMs: T0 - sinceS * S }));
    expect(at("held", 120)).toEqual([]);
    expect(at("held", 121)).toMatchObject([{ code: "mode_not_optimal", source: "daemon", priority: "medium" }]);
    expect(at("rule", 300)[0]!.priority).toBe("medium");
    expect(at("optimal", 3600)).toEqual([]);
    const safe = at("safe", 600);
    expect(safe).toMatchObject([{ code: "mode_not_optimal", priority: "high" }]);
    expect(safe[0]!.message).toContain("safe");
    expect(safe[0]!.message).toContain("solver timed out");
    // Safe because OPC UA is down: the mode alarm still shows, the tags do not.
    const samples = new Map([["gh.temp_c", { value: Number.NaN, quality: "comm_error" }]]);
    expect(codes(alarmConditions(input({ mode: "safe", modeSinceMs: T0 - 600 * S, opcua: "down", samples })))).toEqual(["mode_not_optimal:daemon", "opcua_down:opcua"]);
  });

  it("store_empty_demand: store below 2 % while the network gets more than 50 kW less than it asks", () => {
    const st = (energyKwh: number, demandKw: number, soldKw: number) => codes(alarmConditions(input({ storage: { energyKwh, capacityKwh: 10000 }, dhDemandKw: demandKw, dhSoldKw: soldKw })));
    expect(st(150, 900, 800)).toEqual(["store_empty_demand:storage"]);
    expect(st(250, 900, 800)).toEqual([]);
    expect(st(150, 850, 800)).toEqual([]);
    expect(codes(alarmConditions(input({ storage: { energyKwh: 150, capacityKwh: 10000 }, dhDemandKw: null, dhSoldKw: 800 })))).toEqual([]);
  });

  it("solver_failing from the third failure in a row", () => {
    expect(alarmConditions(input({ planFailuresInARow: 2, lastPlanFailure: "time limit" }))).toEqual([]);
    expect(alarmConditions(input({ planFailuresInARow: 3, lastPlanFailure: "time limit" }))).toMatchObject([
      { code: "solver_failing", source: "optimizer", priority: "medium", message: "3 plans failed in a row: time limit" },
    ]);
  });

  it("every condition says what to do", () => {
    const c = alarmConditions(input({
      mode: "rule", modeSinceMs: T0 - H, opcua: "down", planFailuresInARow: 5, dhDemandKw: 900, dhSoldKw: 700,
      storage: { energyKwh: 0, capacityKwh: 10000 }, greenhouse: { tempC: 30, minC: 20, maxC: 24, damageC: 29 },
      plcs: { a: { up: false, error: "timeout", mismatches: [] }, b: { up: false, error: "x", mismatches: ["r"] } },
    }));
    expect(c).toHaveLength(7);
    for (const x of c) expect(x.action.length).toBeGreaterThan(30);
  });

  it("never two open alarms for one (code, source), even when conditions repeat", () => {
    const r = stepAlarms([], [ghHot(25), { ...ghHot(26), priority: "medium" }, plcDown], T0, ids());
    expect(r.alarms.map((a) => [a.code, a.source, a.priority])).toEqual([["gh_out_of_band", "greenhouse", "medium"], ["plc_unreachable", "substation", "high"]]);
    // Two open alarms of one key (a damaged database): only the first keeps the condition, the other returns to normal.
    const dup = [r.alarms[1]!, { ...r.alarms[1]!, id: 9 }];
    expect(stepAlarms(dup, [plcDown], T0 + S, ids(99)).alarms.map((a) => [a.id, a.state])).toEqual([[2, "unack"], [9, "rtn_unack"]]);
  });
});

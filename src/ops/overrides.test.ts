import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { uniformGrid } from "../optimizer/plan-grid.ts";
import type { PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import { optimizePlan } from "../optimizer/optimize.ts";
import { createHighsSolver } from "../optimizer/solvers/highs.ts";
import type { Solver } from "../optimizer/solvers/types.ts";
import { draftOverride, overrideStatus, OverrideRefusal, overrideTargets, type Override, type OverrideRequest } from "./overrides.ts";
import { applyOverrides, overrideBounds } from "./override-bounds.ts";
import { coolingCheck } from "./cooling-check.ts";
import { flatForecast } from "../optimizer/flat-forecast-fixture.ts";

const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.UTC(2026, 6, 20, 10);
const H = 3600_000;
const operator = { username: "olga", role: "operator" as const };
const engineer = { username: "eric", role: "engineer" as const };

const forecast = (over: Partial<PlanForecast> = {}, n = 16): PlanForecast => flatForecast(m, T0, n, {}, over);
const state: PlanState = { storageEnergyKwh: 2500, ghTempC: 19, hps: m.heatPumps.map(() => ({ on: false, heatKw: 0, stateS: 1e6 })) };

function make(req: Partial<OverrideRequest>, who: { username: string; role: "operator" | "engineer" } = operator, existing: Override[] = [], id = 1): Override {
  const d = draftOverride(m, { target: "hp1", kind: "off", expiryMs: T0 + H, reason: "compressor inspection", ...req }, who, T0, existing);
  return { ...d, id, clearedMs: null, clearedBy: null, clearReason: null };
}
function refusal(f: () => unknown): OverrideRefusal {
  try {
    f();
  } catch (e) {
    if (e instanceof OverrideRefusal) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("an override request", () => {
  it("is refused with the field and the expected value when it is wrong", () => {
    expect(refusal(() => make({ target: "hp9" })).message).toMatch(/^target: expected one of hp1, hp2/);
    expect(refusal(() => make({ kind: "limit" })).message).toMatch(/^kind: heat pump hp1 takes off, lockout, fixed/);
    const r = refusal(() => make({ kind: "fixed", value: 900 }));
    expect(r.status).toBe(400);
    expect(r.message).toMatch(/expected \d+(\.\d)?–650 kW \(heat_pumps\[0\]/);
    expect(refusal(() => make({ kind: "fixed" })).message).toMatch(/needs a value in kW/);
    expect(refusal(() => make({ value: 3 })).message).toMatch(/takes no value/);
    expect(refusal(() => make({ reason: "  " })).message).toMatch(/^reason: required/);
    expect(refusal(() => make({ expiryMs: T0 - 1 })).message).toMatch(/^expiry: .* is in the past/);
  });
  it("may last a day for an operator and a week for an engineer", () => {
    expect(refusal(() => make({ expiryMs: T0 + 25 * H })).message).toMatch(/operator may override for at most 24 h/);
    expect(make({ expiryMs: T0 + 24 * H }).expiryMs).toBe(T0 + 24 * H);
    expect(make({ expiryMs: T0 + 48 * H }, engineer).author).toBe("eric");
    expect(refusal(() => make({ expiryMs: T0 + 8 * 24 * H }, engineer)).message).toMatch(/at most 168 h/);
  });
  it("is refused while another override holds the same target, accepted once that one is over", () => {
    const first = make({ expiryMs: T0 + 2 * H });
    const clash = refusal(() => make({ kind: "lockout", startMs: T0 + H, expiryMs: T0 + 3 * H }, operator, [first], 2));
    expect(clash.status).toBe(409);
    expect(clash.message).toMatch(/already has override #1/);
    expect(make({ kind: "lockout", startMs: T0 + 2 * H, expiryMs: T0 + 3 * H }, operator, [first], 2).kind).toBe("lockout");
    expect(make({ target: "hp2" }, operator, [first], 2).target).toBe("hp2");
  });
  it("is scheduled, active, then expired by plant time alone; cleared when cleared", () => {
    const o = make({ startMs: T0 + H, expiryMs: T0 + 2 * H });
    expect([T0, T0 + H, T0 + 2 * H].map((t) => overrideStatus(o, t))).toEqual(["scheduled", "active", "expired"]);
    expect(overrideStatus({ ...o, clearedMs: T0 + 1.5 * H, clearedBy: "olga", clearReason: "done" }, T0 + 1.6 * H)).toBe("cleared");
  });
  it("offers every unit, the network, the greenhouse, the dry coolers and the chiller", () => {
    expect(overrideTargets(m).map((t) => t.target)).toEqual(["hp1", "hp2", "dh_sold", "gh_boost", "gh_direct", "dry_coolers", "chiller"]);
  });
});

describe("overrides as plan bounds and as setpoints", () => {
  it("cover the plan steps of their window only", () => {
    const o = make({ kind: "fixed", value: 400, startMs: T0 + 30 * 60_000, expiryMs: T0 + 90 * 60_000 });
    const b = overrideBounds(m, [o], T0, uniformGrid(8, 900));
    expect(b.hp!.hp1!.map((x) => (x ? (x.on ? x.heatKw : "off") : null))).toEqual([null, null, 400, 400, 400, 400, null, null]);
    const lim = overrideBounds(m, [make({ target: "dh_sold", kind: "limit", value: 250, expiryMs: T0 + 20 * 60_000 })], T0, uniformGrid(4, 900));
    expect(lim.dhSoldKw).toEqual([{ minKw: 0, maxKw: 250 }, null, null, null]);
  });
  it("take the setpoints whatever the plan said; in safe only a unit taken out of service", () => {
    const sp = { hps: [{ id: "hp1", on: true, heatKw: 500 }, { id: "hp2", on: false, heatKw: 0 }], dhSoldKw: 900, ghDirectKw: 20, ghBoostKw: 40 };
    const ovs = [make({ kind: "lockout" }), make({ target: "hp2", kind: "fixed", value: 300 }, operator, [], 2), make({ target: "dh_sold", kind: "limit", value: 600 }, operator, [], 3)];
    const r = applyOverrides(sp, ovs, false);
    expect(r.setpoints.hps).toEqual([{ id: "hp1", on: false, heatKw: 0 }, { id: "hp2", on: true, heatKw: 300 }]);
    expect(r.setpoints.dhSoldKw).toBe(600);
    expect(r.applied).toEqual([1, 2, 3]);
    expect(sp.hps[0]).toEqual({ id: "hp1", on: true, heatKw: 500 });
    const safe = applyOverrides(sp, ovs, true);
    expect(safe.applied).toEqual([1]);
    expect(safe.setpoints.dhSoldKw).toBe(900);
  });
});

describe("the optimizer plans around overrides", () => {
  let highs: Solver;
  beforeAll(async () => {
    highs = await createHighsSolver();
  });
  it("holds a fixed unit, a unit off and a sale limit over their windows, and is free after them", () => {
    const f = forecast({ priceElEurPerMwh: Array.from({ length: 16 }, () => 20) });
    const ovs = [make({ kind: "fixed", value: 400, expiryMs: T0 + 2 * H }), make({ target: "hp2", kind: "off", expiryMs: T0 + H }, operator, [], 2), make({ target: "dh_sold", kind: "limit", value: 300, expiryMs: T0 + H }, operator, [], 3)];
    const o = optimizePlan(highs, m, f, state, { timeLimitMs: 30_000, bounds: overrideBounds(m, ovs, f.startMs, f.stepsS) });
    expect(o.status).toBe("optimal");
    const steps = o.plan!.steps;
    for (let t = 0; t < 8; t++) expect(steps[t]!.hps[0]!.heatKw).toBeCloseTo(400, 6);
    for (let t = 0; t < 4; t++) {
      expect(steps[t]!.hps[1]!.on).toBe(false);
      expect(steps[t]!.dhSoldKw).toBeLessThanOrEqual(300 + 1e-6);
    }
    // Cheap electricity and a network that wants 1.5 MW: once free, the plan sells more than the limit.
    expect(Math.max(...steps.slice(4).map((s) => s.dhSoldKw))).toBeGreaterThan(600);
  });
});

describe("cooling first", () => {
  let highs: Solver;
  beforeAll(async () => {
    highs = await createHighsSolver();
  });
  const heatwave = forecast({ outdoorTempC: Array.from({ length: 16 }, () => 31), dhDemandKw: Array.from({ length: 16 }, () => 150) });

  it("refuses the chiller out of service on a hot afternoon, with the figures, and the optimizer agrees it is infeasible", () => {
    const chillerOff = make({ target: "chiller", kind: "limit", value: 0, expiryMs: T0 + 2 * H });
    const v = coolingCheck({ model: m, forecast: heatwave, storageEnergyKwh: 4900, ghTempC: 24, overrides: [chillerOff], proposed: chillerOff });
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/^cooling first: at .* the servers give 900 kW; with chiller at most 0 kW the plant could take at most \d+ kW \(dry coolers 0 kW at 31\.0 °C outdoor, chiller 0 kW, heat pumps \d+ kW/);
    // Independently: the MILP with the same bound has no solution.
    const o = optimizePlan(highs, m, heatwave, { ...state, storageEnergyKwh: 4900, ghTempC: 24 }, { timeLimitMs: 30_000, bounds: overrideBounds(m, [chillerOff], T0, heatwave.stepsS) });
    expect(o.status).toBe("infeasible");
  });
  it("accepts the same override on a winter day, when the dry coolers carry everything, and the optimizer finds a plan", () => {
    const f = forecast({ dhDemandKw: Array.from({ length: 16 }, () => 0) });
    const chillerOff = make({ target: "chiller", kind: "limit", value: 0, expiryMs: T0 + 2 * H });
    const bothOff = [chillerOff, make({ kind: "lockout", expiryMs: T0 + 2 * H }, operator, [], 2)];
    expect(coolingCheck({ model: m, forecast: f, storageEnergyKwh: 2500, ghTempC: 19, overrides: bothOff, proposed: bothOff[1]! }).ok).toBe(true);
    const o = optimizePlan(highs, m, f, state, { timeLimitMs: 30_000, bounds: overrideBounds(m, bothOff, T0, f.stepsS) });
    expect(o.status).toBe("optimal");
  });
  it("refuses a unit fixed at an output the hot side cannot take", () => {
    const full = make({ kind: "fixed", value: 650, expiryMs: T0 + H });
    const v = coolingCheck({ model: m, forecast: heatwave, storageEnergyKwh: m.storage!.capacityKwh, ghTempC: 24, overrides: [full], proposed: full });
    expect(v.reason).toMatch(/^hot loop: at .* can take \d+ kW; with hp1 fixed 650 kW the heat pumps would make 650 kW/);
  });
  it("only checks the steps the override covers", () => {
    const later = make({ target: "chiller", kind: "limit", value: 0, startMs: T0 + 5 * H, expiryMs: T0 + 6 * H });
    expect(coolingCheck({ model: m, forecast: heatwave, storageEnergyKwh: 4900, ghTempC: 24, overrides: [later], proposed: later }).ok).toBe(true);
  });
});

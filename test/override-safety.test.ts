import { afterAll, describe, expect, it } from "vitest";
import { makeApiRig, register, type ApiRig, type Auth } from "./api-rig.ts";
import type { ForecastSnapshot } from "../src/io/opcua/port.ts";

/**
 * Cooling first over every override's whole window, whenever it starts, and again when the forecast changes
 * (issue 18 items 1–4), through the API in front of the daemon's core and the in-process plant (a January week).
 */
const rigs: ApiRig[] = [];
afterAll(async () => {
  for (const r of rigs) await r.close();
});
const H = 3600_000;

async function rig(): Promise<ApiRig> {
  const a = await makeApiRig({ checkPlan: true });
  rigs.push(a);
  await a.cycles(3);
  return a;
}

const post = (a: ApiRig, auth: Auth, body: Record<string, unknown>) => a.call("POST", "/api/overrides", { body: { reason: "issue 18 check", ...body }, auth });
const iso = (ms: number) => new Date(ms).toISOString();

describe("an override far ahead", () => {
  it("is checked over its whole window with every override pending there: the fourth of the four 25 h ahead is refused, naming the step", { timeout: 180_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    const start = a.rig.nowMs() + 25 * H;
    const window = { start: iso(start), expiry: iso(start + 10 * H) };
    for (const o of [{ target: "hp1", kind: "off" }, { target: "hp2", kind: "off" }, { target: "dry_coolers", kind: "limit", value: 0 }]) expect((await post(a, op, { ...o, ...window })).status).toBe(201);
    const r = await post(a, op, { target: "chiller", kind: "limit", value: 0, ...window });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/^cooling first: at .* \(beyond the forecast: at the 42 °C cooling design temperature\) the servers give \d+ kW; with chiller at most 0 kW the plant could take at most \d+ kW .*set it again once the forecast covers that time$/);
    // The ones accepted are scheduled, never "in force"; the plans go on.
    const list = (await a.call("GET", "/api/overrides", { auth: op })).body as { status: string }[];
    expect(list.map((o) => o.status)).toEqual(["scheduled", "scheduled", "scheduled"]);
    await a.cycles(3);
    expect(a.rig.daemon.status$.value.mode).toBe("optimal");
    expect(a.rig.daemon.status$.value.modeCause).not.toMatch(/in force/);
  });

  it("an override in force now answers 201 'active' with exactly the expiry asked; the chained 24 h limit holds over the API", { timeout: 180_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    const r = await post(a, op, { target: "gh_boost", kind: "limit", value: 50, duration_min: 24 * 60 });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe("active");
    expect(Date.parse(r.body.expiry) - Date.parse(r.body.start)).toBe(24 * H);
    const next = await post(a, op, { target: "gh_boost", kind: "limit", value: 50, start: r.body.expiry, duration_min: 24 * 60 });
    expect(next.status).toBe(400);
    expect(next.body.error).toMatch(/at most 24 h in a row/);
    const eng = await a.login("engineer");
    expect((await post(a, eng, { target: "gh_boost", kind: "limit", value: 50, start: r.body.expiry, duration_min: 24 * 60 })).status).toBe(201);
  });
});

describe("a heatwave forecast arriving after the overrides", () => {
  it("raises override_unsafe naming them, sets the chiller limit aside (audited) and the next plan is made: no failure loop", { timeout: 300_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    // January: the dry coolers carry everything, so the chiller out of service and hp2 locked out are fine.
    const now = a.rig.nowMs();
    const chiller = await post(a, op, { target: "chiller", kind: "limit", value: 0, start: iso(now + H), duration_min: 6 * 60 });
    expect(chiller.status).toBe(201);
    const lockout = await post(a, op, { target: "hp2", kind: "lockout", duration_min: 8 * 60 });
    expect(lockout.status).toBe(201);
    await a.cycles(2);
    expect(a.rig.daemon.status$.value.mode).toBe("optimal");
    // The forecast feed now says 38 °C all day: the dry coolers can reject nothing.
    const real = (await a.rig.plant.measurements.readForecasts()) as ForecastSnapshot;
    const hot: ForecastSnapshot = { ...real, series: { ...real.series, "forecast.outdoor_temp_c": real.series["forecast.outdoor_temp_c"]!.map(() => 38), "forecast.dh_demand_kw": real.series["forecast.dh_demand_kw"]!.map(() => 400) } };
    const madeBefore = a.rig.daemon.planStore.madeAtMs;
    for (let k = 0; k < 120 && a.rig.daemon.planStore.madeAtMs === madeBefore; k++) {
      await a.rig.cycle(() => a.rig.plant.measurements.setForecasts(hot));
      a.ops.afterCycle(a.rig.daemon.status$.value, a.rig.daemon.samples);
    }
    await a.rig.cycle(() => a.rig.plant.measurements.setForecasts(hot));
    a.ops.afterCycle(a.rig.daemon.status$.value, a.rig.daemon.samples);
    const s = a.rig.daemon.status$.value;
    expect(a.rig.daemon.planStore.madeAtMs).not.toBe(madeBefore);
    expect(s.planFailuresInARow).toBe(0);
    expect(["optimal", "held"]).toContain(s.mode);
    const alarms = (await a.call("GET", "/api/alarms", { auth: op })).body as { code: string; priority: string; message: string }[];
    const unsafe = alarms.find((x) => x.code === "override_unsafe");
    expect(unsafe?.priority).toBe("high");
    expect(unsafe?.message).toMatch(new RegExp(`#${chiller.body.id}.*would take cooling away at .*set aside for cooling: #${chiller.body.id} chiller at most 0 kW`));
    // The lock-out stays: the limit alone was enough.
    expect(unsafe?.message).not.toMatch(new RegExp(`set aside for cooling: .*#${lockout.body.id}`));
    const audit = (await a.call("GET", "/api/audit", { auth: op })).body as { action: string; actor: string; old_value: string; reason: string }[];
    const aside = audit.filter((e) => e.action === "override.set_aside");
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatchObject({ actor: "chaleur" });
    expect(aside[0]!.old_value).toMatch(new RegExp(`^#${chiller.body.id} chiller`));
    expect(aside[0]!.reason).toMatch(/^cooling needs it at .*: cooling first/);
    // The plan uses the chiller in the override's window; hp2 stays off throughout.
    const plan = (await a.call("GET", "/api/plan", { auth: op })).body as { steps: { time: string; chiller_kw: number; hps: { on: boolean }[] }[] };
    const inWindow = plan.steps.filter((st) => Date.parse(st.time) >= now + H && Date.parse(st.time) < now + 7 * H);
    expect(Math.max(...inWindow.map((st) => st.chiller_kw))).toBeGreaterThan(100);
    for (const st of plan.steps.filter((x) => Date.parse(x.time) < now + 8 * H - 15 * 60_000)) expect(st.hps[1]!.on).toBe(false);
  });

  it("an active override set aside is not forced onto the PLC either: the plan's value is written", { timeout: 300_000 }, async () => {
    const a = await rig();
    const op = await a.login("operator");
    const fixed = await post(a, op, { target: "hp1", kind: "fixed", value: 650, duration_min: 12 * 60 });
    expect(fixed.status).toBe(201);
    await a.cycles(2);
    expect(register(a, "hp1_heat_setpoint_kw")).toBeCloseTo(650, 3);
    // A hot day with the network taking almost nothing: 650 kW of hot-side heat has nowhere to go once the store is full.
    const real = (await a.rig.plant.measurements.readForecasts()) as ForecastSnapshot;
    const hot: ForecastSnapshot = { ...real, series: { ...real.series, "forecast.outdoor_temp_c": real.series["forecast.outdoor_temp_c"]!.map(() => 30), "forecast.dh_demand_kw": real.series["forecast.dh_demand_kw"]!.map(() => 0) } };
    const audited = async () => ((await a.call("GET", "/api/audit", { auth: op })).body as { action: string }[]).some((e) => e.action === "override.set_aside");
    for (let k = 0; k < 120 && !(await audited()); k++) {
      await a.rig.cycle(() => a.rig.plant.measurements.setForecasts(hot));
      a.ops.afterCycle(a.rig.daemon.status$.value, a.rig.daemon.samples);
    }
    expect(await audited()).toBe(true);
    await a.rig.cycle(() => a.rig.plant.measurements.setForecasts(hot));
    const step = a.rig.daemon.planStore.plan!.steps.find((st) => st.timeMs <= a.rig.nowMs() && a.rig.nowMs() < st.timeMs + st.durationS * 1000)!;
    expect(a.rig.daemon.status$.value.overridesApplied).not.toContain(fixed.body.id);
    expect(register(a, "hp1_heat_setpoint_kw")).toBeCloseTo(step.hps[0]!.heatKw, 0);
  });
});

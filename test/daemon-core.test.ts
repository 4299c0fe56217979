import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { makeRig, type Rig } from "./daemon-rig.ts";
import { WorkerPlanner } from "../src/daemon/worker-planner.ts";
import { loadModel } from "../src/config/plant-model.ts";
import type { Mode } from "../src/control/types.ts";
import type { TagFault } from "../src/sim/in-process-plant.ts";

const m = loadModel("models/paris-chapelle.yaml");
const faulty = fileURLToPath(new URL("./fixtures/faulty-solvers.ts", import.meta.url));
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** Consecutive repeats collapsed: the ladder's path. */
const path = (modes: readonly Mode[]) => modes.filter((x, i) => i === 0 || modes[i - 1] !== x);
const f32 = (x: number) => Math.fround(x);

/** What the PLCs act on must be the step of the plan in force that covers now, found here by scanning the steps. */
function expectPlcsOnPlanStep(r: Rig, opts: { substation?: boolean; modeCode?: number } = {}): void {
  const plan = r.planAtWrite!;
  const now = r.nowMs();
  const step = plan.steps.find((s) => now >= s.timeMs && now < s.timeMs + s.durationS * 1000)!;
  expect(step, "a plan step covers now").toBeDefined();
  const hp = r.plant.plcs.get("heat-pumps")!.effective();
  const sub = r.plant.plcs.get("substation")!.effective();
  step.hps.forEach((h, i) => {
    expect(hp[`${h.id}_enable`]).toBe(h.on ? 1 : 0);
    // The plan's heat, plus at most the 3 % source margin where the plan recovers all the heat, within the unit's maximum.
    expect(hp[`${h.id}_heat_setpoint_kw`]!).toBeGreaterThanOrEqual(f32(h.heatKw) - 1e-3);
    expect(hp[`${h.id}_heat_setpoint_kw`]!).toBeLessThanOrEqual(Math.min(m.heatPumps[i]!.heatMaxKw, h.heatKw + 0.03 * step.itHeatKw) + 1e-3);
  });
  if (opts.substation !== false) expect(sub.dh_sold_setpoint_kw).toBeCloseTo(f32(step.dhSoldKw), 2);
  expect(r.plant.plcs.get("heat-pumps")!.readWords("holding", 2, 1)[0]).toBe(opts.modeCode ?? 0);
}

function expectSafeOnPlcs(r: Rig): void {
  const hp = r.plant.plcs.get("heat-pumps")!.effective();
  for (const h of m.heatPumps) expect(hp[`${h.id}_enable`]).toBe(0);
  expect(r.plant.plcs.get("substation")!.effective().dh_sold_setpoint_kw).toBe(0);
}

function expectCooling(r: Rig): void {
  expect(r.plant.live.observation().fwSupplyTempC).toBeLessThanOrEqual(m.facilityWater.supplyLimitC);
}

describe("the daemon against the simulated plant in process", () => {
  // The same over real sockets at 720×: test/daemon-wire.test.ts.
  it("12 simulated hours: every cycle optimal, the PLCs act on the plan step in force, cooling held", { timeout: 300_000 }, async () => {
    rig = await makeRig();
    const r = rig;
    for (let k = 0; k < 12 * 360; k++) {
      await r.cycle();
      expectPlcsOnPlanStep(r);
      expectCooling(r);
    }
    expect(new Set(r.modes)).toEqual(new Set(["optimal"]));
    const plans = r.logs.filter((l) => l.event === "plan");
    // Re-planned every 15 min, and on significant changes only: not at every cycle (a demand forecast above the
    // contract once made every cycle look "off forecast").
    expect(plans.length).toBeGreaterThanOrEqual(48);
    expect(plans.length).toBeLessThanOrEqual(96);
    // Weather, prices and demand from the plant's arrays every time (IT heat by persistence: this rig has no history).
    const sources = plans.map((p) => p.forecast as Record<string, string>);
    expect(sources.every((s) => s.price_el_eur_mwh === "plant" && s.outdoor_temp_c === "plant" && s.dh_demand_kw === "plant" && s.it_heat_kw === "model")).toBe(true);
  });

  const tagFaults: [string, TagFault, string][] = [
    ["NaN", (_v, now) => ({ value: Number.NaN, sourceMs: now }), "bad_nan"],
    ["out of range", (_v, now) => ({ value: 5000, sourceMs: now }), "bad_range"],
    ["stale", (v, now) => ({ value: v, sourceMs: now - 600_000 }), "stale"],
    ["frozen", (_v, now) => ({ value: 901.25, sourceMs: now }), "frozen"],
  ];
  for (const [name, fault, quality] of tagFaults) {
    it(`IT heat ${name}: bridged within its maximum age, then safe (PLCs safe, cooling held), back to optimal when it clears`, { timeout: 120_000 }, async () => {
      rig = await makeRig();
      const r = rig;
      for (let k = 0; k < 6; k++) await r.cycle();
      r.plant.faults.set("dc.it_heat_kw", fault);
      for (let k = 0; k < 40; k++) await r.cycle();
      r.plant.faults.delete("dc.it_heat_kw");
      expect(r.daemon.status$.value.modeCause).toMatch(new RegExp(`^dc\\.it_heat_kw ${quality}`));
      expectSafeOnPlcs(r);
      expect(r.plant.plcs.get("heat-pumps")!.effective().controller_mode).toBe(3);
      for (let k = 0; k < 12; k++) {
        await r.cycle();
        expectCooling(r);
      }
      expect(path(r.modes)).toEqual(["optimal", "safe", "optimal"]);
      expectPlcsOnPlanStep(r);
      expect(r.logs.filter((l) => l.event === "mode").map((l) => `${l.from}→${l.to}`)).toEqual(["starting→optimal", "optimal→safe", "safe→optimal"]);
    });
  }

  it("OPC UA link lost and back: safe once the last values are too old, optimal again after", { timeout: 120_000 }, async () => {
    rig = await makeRig();
    const r = rig;
    for (let k = 0; k < 6; k++) await r.cycle();
    r.plant.measurements.disconnect("server stopped");
    // The demo config's tags may be 120 s old (plant time): safe after that, not before.
    for (let k = 0; k < 11; k++) await r.cycle();
    expect(r.daemon.status$.value.mode).toBe("optimal");
    for (let k = 0; k < 2; k++) await r.cycle();
    expect(r.daemon.status$.value.opcua).toBe("down");
    expectSafeOnPlcs(r);
    expectCooling(r);
    r.plant.measurements.reconnect();
    for (let k = 0; k < 6; k++) await r.cycle();
    expect(path(r.modes)).toEqual(["optimal", "safe", "optimal"]);
    expect(r.daemon.status$.value.opcua).toBe("up");
    expectPlcsOnPlanStep(r);
  });

  it("one PLC stops answering: the others keep the plan's setpoints; it falls to its own safe mode and comes back", { timeout: 120_000 }, async () => {
    rig = await makeRig();
    const r = rig;
    for (let k = 0; k < 6; k++) await r.cycle();
    r.plant.transports.get("substation")!.offline = true;
    for (let k = 0; k < 5; k++) {
      await r.cycle();
      expectPlcsOnPlanStep(r, { substation: false });
    }
    expect(r.daemon.status$.value.plcs).toEqual({ "heat-pumps": "up", substation: "down", greenhouse: "up" });
    // Its watchdog (30 s) has seen no heartbeat: it acts on its safe values.
    expect(r.plant.plcs.get("substation")!.inSafeMode()).toBe(true);
    expect(r.plant.plcs.get("heat-pumps")!.inSafeMode()).toBe(false);
    r.plant.transports.get("substation")!.offline = false;
    for (let k = 0; k < 3; k++) await r.cycle();
    expect(r.plant.plcs.get("substation")!.inSafeMode()).toBe(false);
    expect(r.daemon.status$.value.plcs.substation).toBe("up");
    expectPlcsOnPlanStep(r);
    expect(new Set(r.modes)).toEqual(new Set(["optimal"]));
  });

  const solverFaults: [string, string, RegExp][] = [
    ["times out", "hang", /^planner: no answer within 3\.0 s; solver stopped$/],
    ["returns a plan that fails verification", "corrupt", /^corrupt said \w+ \(.*\), but the plan failed verification: /],
    ["worker crashes", "crash", /^planner worker crashed: injected solver crash$/],
  ];
  for (const [name, solver, reason] of solverFaults) {
    it(`the solver ${name}: held on the last verified plan (followed by time), optimal again once it plans`, { timeout: 180_000 }, async () => {
      rig = await makeRig();
      const r = rig;
      for (let k = 0; k < 6; k++) await r.cycle();
      const healthy = r.planner.current;
      r.planner.current = new WorkerPlanner({ model: m, solver, solverModule: faulty });
      // Up to the next plan (the period's, or one a significant change asks for), which fails.
      for (let k = 0; k < 95 && r.daemon.status$.value.mode !== "held"; k++) await r.cycle();
      expect(r.daemon.status$.value.mode).toBe("held");
      expect(r.daemon.status$.value.modeCause).toMatch(reason);
      expectPlcsOnPlanStep(r, { modeCode: 1 });
      await r.planner.current.close();
      r.planner.current = healthy;
      for (let k = 0; k < 8; k++) await r.cycle();
      expect(path(r.modes)).toEqual(["optimal", "held", "optimal"]);
      expectPlcsOnPlanStep(r);
      expect(r.logs.some((l) => l.event === "plan_failed" && reason.test(String(l.reason)))).toBe(true);
    });
  }

  it("the daemon dies: the PLCs' watchdogs go safe; a new daemon takes over with a plan's step, not a bump", { timeout: 120_000 }, async () => {
    rig = await makeRig();
    const r = rig;
    for (let k = 0; k < 6; k++) await r.cycle();
    r.idle(40);
    for (const p of r.plant.plcs.values()) expect(p.inSafeMode()).toBe(true);
    expectSafeOnPlcs(r);
    expectCooling(r);
    r.newDaemon();
    await r.cycle();
    // The first cycle waited for its plan: its first write is a plan step, in optimal.
    expect(r.modes).toEqual(["optimal"]);
    await r.cycle();
    for (const p of r.plant.plcs.values()) expect(p.inSafeMode()).toBe(false);
    expectPlcsOnPlanStep(r);
  });
});

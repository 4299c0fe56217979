import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { daemonDepsFrom } from "../src/daemon/wiring.ts";
import { replanReason } from "../src/daemon/phases.ts";
import { follow } from "../src/control/follow.ts";
import { emptyPlanStore, storePlan } from "../src/control/plan-store.ts";
import { observationAt } from "../src/control/observation-fixture.ts";
import { resumeFromHistory } from "../src/daemon/resume.ts";
import { openWritableHistory } from "../src/store/history.ts";
import { sqliteHistory } from "../src/daemon/history-port.ts";
import type { Plan, PlanForecast } from "../src/optimizer/plan-types.ts";
import { uniformGrid } from "../src/optimizer/plan-grid.ts";
import { makeApiRig, type ApiRig } from "./api-rig.ts";

/**
 * The ladder's limits as configured, each checked against a figure the test reads on its own (the YAML, the
 * thresholds' meaning), so a swapped or mis-converted value fails here (issue 18, "tests the pieces lack").
 */
const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
const yaml = parse(readFileSync("config/chaleur-demo.yaml", "utf8")) as { control: { held_max_h: number; replan_threshold_it_kw: number; replan_threshold_demand_kw: number; replan_min: number } };
const deps = daemonDepsFrom(cfg);
const m = cfg.model;
const T0 = Date.parse("2026-01-13T05:00:00Z");
const H = 3600_000;

function plan(startMs: number, hours: number): Plan {
  return {
    objectiveEur: 1,
    steps: Array.from({ length: hours * 4 }, (_, k) => ({
      timeMs: startMs + k * 900_000, durationS: 900, hps: m.heatPumps.map((h) => ({ id: h.id, on: true, heatKw: 300, elecKw: 60, cop: 5 })),
      dhSoldKw: 600, ghDirectKw: 0, ghBoostKw: 0, ghTempC: 18, storageChargeKw: 0, storageDischargeKw: 0, storageEnergyKwh: 2000, dumpKw: 100, chillerKw: 0, itHeatKw: 900, priceElEurPerMwh: 50,
    })),
  };
}

describe("the daemon's configured limits", () => {
  it("held_max_h reaches the ladder in seconds", () => {
    expect(yaml.control.held_max_h).toBeGreaterThan(0);
    expect(deps.control.heldMaxS).toBe(yaml.control.held_max_h * 3600);
  });

  it("a planner that goes quiet (no plan, no failure) is held only up to held_max_h, then the rule runs", () => {
    const store = storePlan(emptyPlanStore(), plan(T0, 48), T0, { trigger: "period", solver: "highs", solveMs: 1, gapPct: 0 });
    const followCfg = { model: m, periodS: 900, heldMaxS: deps.control.heldMaxS, freshMaxS: 2 * deps.control.replanS + 60 };
    const justBefore = T0 + yaml.control.held_max_h * H - 60_000;
    expect(follow(store, observationAt(m, justBefore), justBefore, followCfg).mode).toBe("held");
    const after = T0 + yaml.control.held_max_h * H + 60_000;
    const r = follow(store, observationAt(m, after), after, followCfg);
    expect(r.mode).toBe("rule");
    expect(r.cause).toMatch(/held at most/);
  });

  it("re-plans on IT heat beyond its own threshold and on demand beyond its own, not the other's", () => {
    const itKw = yaml.control.replan_threshold_it_kw;
    const demandKw = yaml.control.replan_threshold_demand_kw;
    expect(itKw).not.toBe(demandKw);
    const t = { replanS: deps.control.replanS, retryS: 60, itKw: deps.control.replanThresholdItKw, demandKw: deps.control.replanThresholdDemandKw };
    const store = storePlan(emptyPlanStore(), plan(T0, 24), T0, { trigger: "period", solver: "highs", solveMs: 1, gapPct: 0 });
    const n = 96;
    const f: PlanForecast = { startMs: T0, stepsS: uniformGrid(n, 900), n, itHeatKw: Array(n).fill(900), outdoorTempC: Array(n).fill(3), solarWm2: Array(n).fill(0), priceElEurPerMwh: Array(n).fill(60), dhDemandKw: Array(n).fill(1000), hpAvailable: m.heatPumps.map(() => Array(n).fill(true)) };
    const now = T0 + 60_000;
    const at = (itHeatKw: number, dhDemandKw: number) => replanReason(store, f, null, observationAt(m, now, { itHeatKw, dhDemandKw }), now, t);
    const between = (Math.min(itKw, demandKw) + Math.max(itKw, demandKw)) / 2;
    const small = Math.min(itKw, demandKw) / 2;
    expect(at(900, 1000)).toBeNull();
    expect(at(900 + small, 1000 + small)).toBeNull();
    // Off by a figure between the two thresholds: only the quantity with the smaller threshold asks for a plan.
    expect(at(900 + between, 1000) !== null).toBe(itKw < between);
    expect(at(900, 1000 + between) !== null).toBe(demandKw < between);
    expect(at(900 + itKw + 1, 1000)).toMatch(/^IT heat/);
    expect(at(900, 1000 + demandKw + 1)).toMatch(/^network demand/);
  });
});

describe("a restart", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it("does not resume a plan older than held_max_h, even one whose horizon still covers now", () => {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-resume-"));
    dirs.push(dir);
    const h = openWritableHistory(join(dir, "h.sqlite"), { startedWallMs: 0, pid: 1, version: "t", config: "t", model: m.name });
    const port = sqliteHistory(h);
    const madeAtMs = T0 - (yaml.control.held_max_h + 2) * H;
    port.plan({ madeAtMs, trigger: "period", status: "optimal", objectiveEur: 1, solver: "highs", solveMs: 5, gapPct: 0, message: null, plan: plan(madeAtMs, 48) });
    port.flush();
    const old = resumeFromHistory(m, deps.control.heldMaxS, deps.tags, h.reader, T0);
    expect(old.planStore.plan).toBeNull();
    expect(old.summary).toMatch(/over the held limit/);
    // The same plan within the limit is taken over.
    const young = resumeFromHistory(m, deps.control.heldMaxS, deps.tags, h.reader, madeAtMs + H);
    expect(young.planStore.madeAtMs).toBe(madeAtMs);
    h.close();
  });
});

describe("a PLC that answers but holds other values", () => {
  const rigs: ApiRig[] = [];
  afterAll(async () => {
    for (const r of rigs) await r.close();
  });
  it("raises write_not_read_back naming the registers, never plc_unreachable", { timeout: 120_000 }, async () => {
    const target = "heat-pumps";
    const a = await makeApiRig({
      deps: (plant) => ({
        setpoints: {
          write: async (regs) => (await plant.setpoints.write(regs)).map((r) => (r.plc === target ? { ...r, ok: false, mismatches: ["hp1_heat_setpoint_kw"], error: "read back 0 for hp1_heat_setpoint_kw" } : r)),
          heartbeat: () => plant.setpoints.heartbeat(),
          close: () => plant.setpoints.close(),
        } as typeof plant.setpoints,
      }),
    });
    rigs.push(a);
    await a.cycles(4);
    const op = await a.login("operator");
    const alarms = ((await a.call("GET", "/api/alarms", { auth: op })).body as { code: string; source: string; message: string }[]).filter((x) => x.source === target);
    expect(alarms.map((x) => x.code)).toEqual(["write_not_read_back"]);
    expect(alarms[0]!.message).toMatch(/hp1_heat_setpoint_kw/);
  });
});

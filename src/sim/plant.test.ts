import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { Setpoints } from "../control/types.ts";
import { initialPlantState, plantStep, type PlantState, type StepInputs } from "./plant.ts";

const m = loadModel("models/paris-chapelle.yaml");
const winter: StepInputs = { timeMs: Date.UTC(2026, 0, 12, 12), itHeatKw: 900, outdoorTempC: 5, solarWm2: 0, dhDemandKw: 2500, hpAvailable: [true, true] };
const allOn = (heatKw: number, extra: Partial<Setpoints> = {}): Setpoints => ({
  hps: m.heatPumps.map((h) => ({ id: h.id, on: true, heatKw })),
  dhSoldKw: 2500,
  ghDirectKw: 0,
  ghBoostKw: 0,
  ...extra,
});

function run(state: PlantState, sp: Setpoints, inp: StepInputs, steps: number) {
  let s = state;
  const flows = [];
  for (let i = 0; i < steps; i++) {
    const r = plantStep(m, s, sp, { ...inp, timeMs: inp.timeMs + i * 60_000 }, 60);
    s = r.state;
    flows.push(r.flows);
  }
  return { state: s, flows };
}

describe("plant step", () => {
  it("a heat pump waits its start delay, comes in at minimum load, then ramps", () => {
    const onlyHp1: Setpoints = { ...allOn(650), hps: [{ id: "hp1", on: true, heatKw: 650 }, { id: "hp2", on: false, heatKw: 0 }] };
    const { flows } = run(initialPlantState(m), onlyHp1, winter, 20);
    const hp1 = flows.map((f) => f.hpHeatKw[0]!);
    expect(hp1.slice(0, 5).every((q) => q === 0)).toBe(true); // 5-min pre-run
    expect(hp1[5]).toBe(195); // minimum load first
    expect(hp1[6]).toBe(245); // then +50 kW/min
    expect(hp1[14]).toBe(645);
    expect(hp1[19]).toBe(650);
    expect(flows.filter((f) => f.hpStarted[0]).length).toBe(1);
  });

  it("a unit asked to stop before its minimum run time holds minimum load", () => {
    const started = run(initialPlantState(m), allOn(400), winter, 10).state;
    const off: Setpoints = { ...allOn(0), hps: m.heatPumps.map((h) => ({ id: h.id, on: false, heatKw: 0 })) };
    const { flows } = run(started, off, winter, 40);
    const hp1 = flows.map((f) => f.hpHeatKw[0]!);
    expect(hp1[0]).toBeGreaterThanOrEqual(195);
    expect(hp1.at(-1)).toBe(0);
    const firstOff = hp1.findIndex((q) => q === 0);
    expect(firstOff).toBeGreaterThan(20); // 30 min minimum up time, 5 min spent starting before
  });

  it("a trip stops the unit at once, whatever its setpoint", () => {
    const started = run(initialPlantState(m), allOn(650), winter, 30).state;
    const { flows } = run(started, allOn(650), { ...winter, hpAvailable: [false, true] }, 1);
    expect(flows[0]!.hpHeatKw[0]).toBe(0);
    expect(flows[0]!.hpHeatKw[1]).toBeGreaterThan(500);
  });

  it("cooling first: heat pumps never pull more than the servers give, the loop stays at its setpoint", () => {
    // Both units at full heat would take ~1,070 kW from a loop that receives 900 kW.
    const { state, flows } = run(initialPlantState(m), allOn(650), winter, 120);
    const last = flows.at(-1)!;
    const source = last.hpSourceKw.reduce((a, b) => a + b, 0);
    expect(source + last.ghDirectKw + last.dumpKw + last.chillerKw).toBeCloseTo(900, 6);
    expect(source).toBeLessThanOrEqual(900 + 1e-9);
    expect(state.fwSupplyTempC).toBeCloseTo(m.facilityWater.supplyTempC, 6);
    expect(Math.max(...flows.map((f) => f.balanceResidualKw))).toBeLessThan(1e-6);
  });

  it("network outage with a full store: units throttle, dry coolers take the heat, cooling holds", () => {
    const full: PlantState = { ...initialPlantState(m), storageEnergyKwh: m.storage!.capacityKwh };
    const running = run(full, allOn(600), winter, 30).state;
    const { state, flows } = run(running, allOn(600), { ...winter, dhDemandKw: 0 }, 30);
    const last = flows.at(-1)!;
    expect(last.dhSoldKw).toBe(0);
    // Nothing takes the heat but the store's standing loss (a few kW).
    expect(last.hpHeatKw.reduce((a, b) => a + b, 0)).toBeLessThan(10);
    expect(last.dumpKw).toBeGreaterThan(850);
    expect(state.fwSupplyTempC).toBeLessThanOrEqual(m.facilityWater.supplyLimitC);
    expect(Math.max(...flows.map((f) => f.balanceResidualKw))).toBeLessThan(1e-6);
  });

  it("at 39 °C outdoor the dry coolers give nothing and the chiller carries the IT heat", () => {
    const hot: StepInputs = { ...winter, outdoorTempC: 39, dhDemandKw: 0 };
    const off: Setpoints = { ...allOn(0), hps: m.heatPumps.map((h) => ({ id: h.id, on: false, heatKw: 0 })) };
    const { state, flows } = run(initialPlantState(m), off, hot, 10);
    const last = flows.at(-1)!;
    expect(last.dumpKw).toBe(0);
    expect(last.chillerKw).toBeCloseTo(900, 6);
    expect(last.chillerElecKw).toBeGreaterThan(100);
    expect(state.fwSupplyTempC).toBeCloseTo(m.facilityWater.supplyTempC, 9);
  });

  it("the store floats: surplus heat charges it, and its energy change matches the flows", () => {
    const s0 = initialPlantState(m);
    const { state, flows } = run(s0, allOn(650, { dhSoldKw: 300 }), winter, 60);
    const dE = state.storageEnergyKwh - s0.storageEnergyKwh;
    const inKwh = flows.reduce((a, f) => a + (f.storageNetKw * (f.storageNetKw > 0 ? m.storage!.efficiency : 1 / m.storage!.efficiency) - f.storageLossKw) / 60, 0);
    expect(dE).toBeGreaterThan(300);
    expect(dE).toBeCloseTo(inKwh, 6);
  });

  it("an empty store gives nothing: the sale falls to what the heat pumps make", () => {
    const empty: PlantState = { ...initialPlantState(m), storageEnergyKwh: 0 };
    const { flows } = run(empty, { ...allOn(0), hps: m.heatPumps.map((h) => ({ id: h.id, on: false, heatKw: 0 })), dhSoldKw: 1500 }, winter, 5);
    expect(flows.every((f) => f.dhSoldKw === 0 && f.storageNetKw === 0)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../src/config/plant-model.ts";
import { loadPlcMap } from "../src/config/plc-schema.ts";
import { loadWireConfig } from "../src/config/wire-config.ts";
import { measurementCatalogue } from "../src/io/catalogue.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { createOpcuaMeasurementPort, type OpcuaMeasurementPort } from "../src/io/opcua/client.ts";
import { modbusSetpointPort } from "../src/io/modbus/client.ts";
import type { PlcSetpointPort } from "../src/io/modbus/port.ts";
import { setpointRegisters } from "../src/io/modbus/setpoint-registers.ts";
import type { Sample } from "../src/io/types.ts";

/**
 * The plant on the wire, end to end: `sim-plant`'s physics behind its real OPC UA and Modbus servers, read by
 * chaleur's OPC UA adapter (SignAndEncrypt, user and password) with the demo config's tag map, written by its
 * Modbus adapter with the shipped register maps. Time is a fake clock the test moves: the PLC watchdogs, the
 * plant's simulated time and the client's ageing of samples all run on it.
 */
const model = loadModel("models/paris-chapelle.yaml");
const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(`plc/${n}.yaml`));
const wire = loadWireConfig("config/chaleur-demo.yaml");
let nowMs = Date.UTC(2026, 0, 12, 8, 0);
const clock = () => nowMs;
let plant: SimPlant;
let opcua: OpcuaMeasurementPort;
let modbus: PlcSetpointPort;
/** The decision written in the write test, written again by later cycles as the daemon would. */
let values: Record<string, number> = {};

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Moves the fake clock, lets the plant step, and waits until the client has the plant's current values. */
async function advance(ms: number): Promise<Map<string, Sample>> {
  nowMs += ms;
  plant.tick();
  const expected = plant.live.measurements();
  return until("the OPC UA client to see the plant's values", async () => {
    const got = await opcua.read();
    const it = got.get("dc.it_heat_kw");
    return it && it.sourceMs === nowMs && it.value === expected.get("dc.it_heat_kw")!.value ? got : undefined;
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "chaleur-wire-"));
  plant = await startSimPlant({
    model,
    plcMaps: maps,
    opcuaPort: 0,
    modbusPort: 0,
    speed: 60,
    dataDir: join(dir, "plant"),
    users: [{ username: "chaleur", password: "correct horse" }],
    autoAcceptCertificates: true,
    clock,
    tickMs: 3_600_000, // the test ticks by hand
    simStartMs: nowMs,
  });
  opcua = createOpcuaMeasurementPort(
    {
      endpointUrl: plant.opcua.endpointUrl,
      securityMode: "SignAndEncrypt",
      securityPolicy: "Basic256Sha256",
      username: "chaleur",
      password: "correct horse",
      dataDir: join(dir, "chaleur"),
      trustedServerCertificates: [plant.opcua.certificateFile],
      tags: wire.opcua.tags,
      ...(wire.opcua.forecasts ? { forecasts: wire.opcua.forecasts } : {}),
      publishingIntervalMs: 50,
    },
    clock,
  );
  await opcua.connect();
  modbus = modbusSetpointPort(maps.map((map, k) => ({ map, host: "127.0.0.1", port: plant.plcs[k]!.server.port })), { nowMs: clock });
}, 60_000);

afterAll(async () => {
  await opcua?.close();
  await modbus?.close();
  await plant?.stop();
});

describe("sim-plant on the wire", () => {
  it("serves every catalogue measurement; the adapter reads each one good, with the plant's value and time", async () => {
    const got = await advance(1000);
    const truth = plant.live.measurements();
    for (const spec of measurementCatalogue(model)) {
      const s = got.get(spec.name);
      expect(s, spec.name).toBeDefined();
      expect(s!.quality, `${spec.name}: ${s!.detail}`).toBe("good");
      expect(s!.sourceMs).toBe(nowMs);
      const v = truth.get(spec.name)!.value;
      expect(s!.value, spec.name).toBe(typeof v === "boolean" ? (v ? 1 : 0) : v);
    }
    const f = await opcua.readForecasts();
    expect(f.series["forecast.price_el_eur_mwh"]).toHaveLength(48);
  }, 30_000);

  it("a PLC that has never seen a heartbeat holds the plant safe: heat pumps off, all heat dumped", async () => {
    expect(plant.plcs.every((p) => p.logic.inSafeMode())).toBe(true);
    const got = await advance(30_000); // 30 min simulated
    expect(got.get("hp1.heat_kw")!.value).toBe(0);
    // All of it, within what the facility water's own thermal mass holds back or gives up over a step.
    const rejectedKw = got.get("dump.heat_kw")!.value + got.get("chiller.heat_kw")!.value;
    expect(Math.abs(rejectedKw - got.get("dc.it_heat_kw")!.value)).toBeLessThan(0.01 * got.get("dc.it_heat_kw")!.value);
  }, 30_000);

  it("writes every setpoint with read-back; the plant acts on them once the heartbeat runs", async () => {
    values = setpointRegisters({ hps: [{ id: "hp1", on: true, heatKw: 420.5 }, { id: "hp2", on: true, heatKw: 380 }], dhSoldKw: 700.25, ghDirectKw: 55.5, ghBoostKw: 20.1 }, "optimal");
    const reports = await modbus.write(values);
    expect(reports.map((r) => r.plc).sort()).toEqual(["greenhouse", "heat-pumps", "substation"]);
    for (const r of reports) {
      expect(r.ok, `${r.plc}: ${r.error}`).toBe(true);
      expect(r.mismatches).toEqual([]);
      for (const [name, v] of Object.entries(r.written)) expect(r.readBack[name], name).toBeCloseTo(v, 1);
    }
    await modbus.heartbeat();
    await advance(1000);
    for (const p of plant.plcs) expect(p.logic.inSafeMode(), p.map.plc).toBe(false);
    const eff = Object.assign({}, ...plant.plcs.map((p) => p.logic.effective())) as Record<string, number>;
    expect(eff.hp1_heat_setpoint_kw).toBeCloseTo(420.5, 3);
    expect(eff.dh_sold_setpoint_kw).toBeCloseTo(700.25, 3);
    expect(eff.gh_direct_setpoint_kw).toBeCloseTo(55.5, 6);
    // Keep the heartbeat going while 20 simulated minutes pass: the units start and ramp to their setpoints.
    let got = new Map<string, Sample>();
    for (let k = 0; k < 4; k++) {
      await modbus.write(values);
      await modbus.heartbeat();
      got = await advance(5000);
    }
    expect(got.get("hp1.running")!.value).toBe(1);
    expect(got.get("hp1.heat_kw")!.value).toBeGreaterThan(300);
    // Feedback registers mirror the measurements.
    const fb = await modbus.readRegisters(["hp1_heat_kw", "gh_temp_c"]);
    expect(fb.get("hp1_heat_kw")!.value).toBeCloseTo(got.get("hp1.heat_kw")!.value, 2);
    expect(fb.get("gh_temp_c")!.value).toBeCloseTo(got.get("gh.temp_c")!.value, 1);
  }, 60_000);

  it("watchdog: heartbeat stopped ⇒ safe within watchdog_s + one cycle, in the status register; fresh setpoints and heartbeat ⇒ remote again", async () => {
    const watchdogMs = maps[0]!.watchdogS * 1000;
    await modbus.write(values);
    await modbus.heartbeat();
    await advance(1000);
    nowMs += watchdogMs - 2000; // just under the watchdog: still remote
    plant.tick();
    expect((await modbus.readRegisters(["heat-pumps.status"])).get("heat-pumps.status")!.value).toBe(0);
    await advance(10_000); // one 10-s cycle later: past the watchdog
    const status = await modbus.readRegisters(["heat-pumps.status", "substation.status", "greenhouse.status"]);
    for (const s of status.values()) expect(s.value).toBe(1);
    // The plant ramps the units down; the dry coolers (and chiller) take the heat.
    let got = new Map<string, Sample>();
    for (let k = 0; k < 4; k++) got = await advance(5000);
    expect(got.get("hp1.heat_kw")!.value).toBe(0);
    expect(got.get("dh.sold_kw")!.value).toBe(0);
    // A heartbeat alone cannot end safe mode with setpoints that old: chaleur holds it back until it has written.
    await modbus.heartbeat();
    expect(modbus.lastHeartbeat().every((b) => !b.ok && b.withheld)).toBe(true);
    expect((await modbus.readRegisters(["heat-pumps.status"])).get("heat-pumps.status")!.value).toBe(1);
    // Fresh setpoints, then the heartbeat: remote again.
    expect((await modbus.write(values)).every((r) => r.ok)).toBe(true);
    await modbus.heartbeat();
    await advance(1000);
    expect((await modbus.readRegisters(["heat-pumps.status"])).get("heat-pumps.status")!.value).toBe(0);
    expect(plant.plcs[0]!.logic.effective().hp1_enable).toBe(1);
  }, 60_000);
  it("after a stall (a suspended PC) the plant resumes where it was instead of replaying hours of physics", async () => {
    const before = plant.live.simMs;
    nowMs += 10 * 3_600_000; // 10 h of wall time at 60× would be 25 simulated days
    plant.tick();
    expect(plant.live.simMs - before).toBe(3_600_000);
    const after = plant.live.simMs;
    nowMs += 1000; // and then it runs on at its speed from there
    plant.tick();
    expect(plant.live.simMs - after).toBe(60_000);
  });
});

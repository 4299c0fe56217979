import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { loadPlcMap, type PlcMap } from "../../config/plc-schema.ts";
import { fakeSetpointPort, LogicTransport } from "./fake.ts";
import { PlcLogic } from "./plc-logic.ts";
import { PlcSetpointPort } from "./port.ts";
import { PlcSession } from "./session.ts";
import { CONTROLLER_MODE_CODES, setpointRegisters } from "./setpoint-registers.ts";
import { MODES, type Setpoints } from "../../control/types.ts";

const root = resolve(import.meta.dirname, "../../..");
const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(join(root, `plc/${n}.yaml`)));

/** status of the three PLCs, in map order. */
async function statuses(f: { port: PlcSetpointPort }): Promise<number[]> {
  return [...(await f.port.readRegisters(["heat-pumps.status", "substation.status", "greenhouse.status"])).values()].map((s) => s.value);
}

function setup() {
  let t = 0;
  const fake = fakeSetpointPort(maps, () => t);
  return { ...fake, advance: (s: number) => (t += s * 1000), logicOf: (plc: string) => fake.logic.get(plc)! };
}

const setpoints = {
  controller_mode: 0,
  hp1_enable: 1,
  hp1_heat_setpoint_kw: 412.7,
  hp2_enable: 0,
  hp2_heat_setpoint_kw: 0,
  dh_sold_setpoint_kw: 388.25,
  gh_direct_setpoint_kw: 96.34,
  gh_boost_setpoint_kw: 12.5,
};

describe("fake SetpointPort (PlcLogic behind the same session code as the TCP client)", () => {
  it("writes by name to the PLC that has it, controller_mode to all, and reads back within resolution", async () => {
    const f = setup();
    const reports = await f.port.write(setpoints);
    expect(reports.map((r) => [r.plc, r.ok, r.error])).toEqual([["heat-pumps", true, undefined], ["substation", true, undefined], ["greenhouse", true, undefined]]);
    const gh = reports.find((r) => r.plc === "greenhouse")!;
    expect(gh.written).toEqual({ controller_mode: 0, gh_direct_setpoint_kw: 96.34, gh_boost_setpoint_kw: 12.5 });
    expect(gh.readBack.gh_direct_setpoint_kw).toBeCloseTo(96.3, 9); // int16 at 0.1 kW
    expect(gh.mismatches).toEqual([]);
    await f.port.heartbeat();
    expect(f.logicOf("heat-pumps").effective()).toMatchObject({ hp1_enable: 1, hp1_heat_setpoint_kw: Math.fround(412.7), controller_mode: 0 });
    expect(f.logicOf("substation").effective().dh_sold_setpoint_kw).toBe(388.25);
  });

  it("refuses a value outside the map's limits before writing anything to that PLC", async () => {
    const f = setup();
    await f.port.write({ hp1_heat_setpoint_kw: 300, hp1_enable: 1 });
    const before = f.transports.get("heat-pumps")!.requests;
    const [r] = await f.port.write({ hp1_heat_setpoint_kw: 700, hp1_enable: 0 });
    expect(r!.ok).toBe(false);
    expect(r!.error).toBe("heat-pumps: nothing written: hp1_heat_setpoint_kw = 700 kW is outside the PLC's limits 0…650 kW");
    expect(r!.written).toEqual({});
    expect(f.transports.get("heat-pumps")!.requests).toBe(before);
    expect(f.logicOf("heat-pumps").get("hp1_enable")).toBe(1);
  });

  it("refuses read-only registers, the heartbeat, NaN and non-0/1 bools; reports names no PLC has", async () => {
    const f = setup();
    const [hp] = await f.port.write({ hp1_heat_kw: 5, heartbeat: 3, hp2_heat_setpoint_kw: NaN, hp1_enable: 0.5 });
    expect(hp!.error).toMatch(/'hp1_heat_kw' is read-only; 'heartbeat' is kept by heartbeat\(\).*; hp2_heat_setpoint_kw = NaN is not a finite number; hp1_enable = 0.5 is not 0 or 1$/);
    const reports = await f.port.write({ gh_boost_setpoint_kw: 10, hp3_enable: 1 });
    expect(reports.map((r) => [r.plc, r.ok])).toEqual([["greenhouse", true], ["(none)", false]]);
    expect(reports[1]!.error).toBe("no PLC map has 'hp3_enable'; not written");
  });

  it("reports a mismatch when the PLC holds something else than was written (its own limits are tighter)", async () => {
    const hp = maps[0]!;
    const tighter: PlcMap = { ...hp, registers: hp.registers.map((r) => (r.name === "hp1_heat_setpoint_kw" ? { ...r, max: 500 } : r)) };
    const port = new PlcSetpointPort([new PlcSession(hp, new LogicTransport(new PlcLogic(tighter, () => 0)))]);
    const [r] = await port.write({ hp1_heat_setpoint_kw: 600, hp2_heat_setpoint_kw: 100 });
    expect(r!.ok).toBe(false);
    expect(r!.mismatches).toEqual(["hp1_heat_setpoint_kw"]);
    expect(r!.readBack).toEqual({ hp1_heat_setpoint_kw: 500, hp2_heat_setpoint_kw: 100 });
    expect(r!.error).toBe("heat-pumps: read-back differs: hp1_heat_setpoint_kw wrote 600, PLC holds 500");
  });

  it("an offline PLC gives ok=false with the reason; the others are still written", async () => {
    const f = setup();
    f.transports.get("substation")!.offline = true;
    const reports = await f.port.write(setpoints);
    const sub = reports.find((r) => r.plc === "substation")!;
    expect(sub.ok).toBe(false);
    expect(sub.error).toMatch(/^substation \(in-memory substation\): writing controller_mode failed: no answer writing holding 2 \(fake PLC offline\)$/);
    expect(reports.filter((r) => r.ok).map((r) => r.plc)).toEqual(["heat-pumps", "greenhouse"]);
    await f.port.heartbeat();
    expect(f.port.lastHeartbeat().map((b) => [b.plc, b.ok])).toEqual([["heat-pumps", true], ["substation", false], ["greenhouse", true]]);
  });

  it("heartbeat increments from the PLC's value and wraps at 65535", async () => {
    const f = setup();
    f.logicOf("greenhouse").writeWords(0, [65534]);
    await f.port.write(setpoints);
    await f.port.heartbeat();
    await f.port.heartbeat();
    expect(f.logicOf("greenhouse").get("heartbeat")).toBe(0);
    await f.port.heartbeat();
    expect(f.logicOf("greenhouse").get("heartbeat")).toBe(1);
    expect(f.port.lastHeartbeat().find((b) => b.plc === "greenhouse")!.value).toBe(1);
  });

  it("watchdog through the port: cycles stop ⇒ status 1 and safe setpoints; fresh setpoints and a heartbeat ⇒ remote again", async () => {
    const f = setup();
    await f.port.write(setpoints);
    await f.port.heartbeat();
    expect(await statuses(f)).toEqual([0, 0, 0]);
    f.advance(30);
    expect(await statuses(f)).toEqual([1, 1, 1]);
    expect(f.logicOf("heat-pumps").effective()).toMatchObject({ hp1_enable: 0, hp1_heat_setpoint_kw: 0 });
    // The setpoints are as old as the watchdog: a heartbeat alone must not bring them back.
    await f.port.heartbeat();
    expect(await statuses(f)).toEqual([1, 1, 1]);
    await f.port.write({ ...setpoints, hp1_heat_setpoint_kw: 300 });
    await f.port.heartbeat();
    expect(await statuses(f)).toEqual([0, 0, 0]);
    expect(f.logicOf("heat-pumps").effective()).toMatchObject({ hp1_enable: 1, hp1_heat_setpoint_kw: 300 });
  });

  it("readRegisters gives samples; ambiguous or unknown names are refused; an offline PLC gives comm_error", async () => {
    const f = setup();
    f.logicOf("greenhouse").setFeedback("gh_temp_c", 18.4);
    f.logicOf("heat-pumps").setFeedback("hp1_heat_kw", NaN);
    const s = await f.port.readRegisters(["gh_temp_c", "hp1_heat_kw", "hp2_running"]);
    expect(s.get("gh_temp_c")).toMatchObject({ quality: "good" });
    expect(s.get("gh_temp_c")!.value).toBeCloseTo(18.4, 9);
    expect(s.get("hp1_heat_kw")!.quality).toBe("bad_nan");
    expect(s.get("hp2_running")).toMatchObject({ value: 0, quality: "good" });
    await expect(f.port.readRegisters(["status"])).rejects.toThrow("'status' is on heat-pumps, substation, greenhouse; say which, e.g. 'heat-pumps.status'");
    await expect(f.port.readRegisters(["nope"])).rejects.toThrow("no PLC map has a register 'nope'");
    f.transports.get("greenhouse")!.offline = true;
    const off = await f.port.readRegisters(["gh_temp_c", "dh_sold_kw"]);
    expect(off.get("gh_temp_c")).toMatchObject({ quality: "comm_error" });
    expect(off.get("gh_temp_c")!.detail).toMatch(/fake PLC offline/);
    expect(off.get("dh_sold_kw")!.quality).toBe("good");
  });
});

/** A PLC that acknowledges every write and applies none of it (a write-protected or stuck register image). */
class DroppingTransport extends LogicTransport {
  override write(): Promise<void> {
    this.requests++;
    return Promise.resolve();
  }
}

describe("read-back catches a PLC that acknowledges writes without applying them", () => {
  it("an enable and a mode one step off are mismatches; the write is not ok and the heartbeat is withheld", async () => {
    const hp = maps[0]!;
    const logic = new PlcLogic(hp, () => 0);
    const port = new PlcSetpointPort([new PlcSession(hp, new DroppingTransport(logic), () => 0)]);
    // The PLC powers up with controller_mode 3 (safe) and both enables off.
    const [r] = await port.write({ controller_mode: 2, hp1_enable: 1, hp2_enable: 0 });
    expect(r!.ok).toBe(false);
    expect(r!.mismatches).toEqual(["controller_mode", "hp1_enable"]);
    expect(r!.error).toBe("heat-pumps: read-back differs: controller_mode wrote 2, PLC holds 3; hp1_enable wrote 1, PLC holds 0");
    await port.heartbeat();
    expect(port.lastHeartbeat()[0]).toMatchObject({ ok: false, withheld: true });
  });
});

describe("heartbeat only over fresh setpoints", () => {
  it("before any write the heartbeat is withheld: the register is untouched and the PLC stays safe", async () => {
    const f = setup();
    await f.port.heartbeat();
    for (const l of f.logic.values()) {
      expect(l.get("heartbeat"), l.map.plc).toBe(0);
      expect(l.inSafeMode(), l.map.plc).toBe(true);
    }
    expect(f.port.lastHeartbeat().map((b) => [b.plc, b.ok, b.withheld])).toEqual([["heat-pumps", false, true], ["substation", false, true], ["greenhouse", false, true]]);
    expect(f.port.lastHeartbeat()[0]!.error).toBe("heat-pumps: heartbeat withheld: no setpoints written since the session started");
    expect(await statuses(f)).toEqual([1, 1, 1]);
  });

  it("after an outage longer than the watchdog, only a successful write lets the heartbeat end safe mode", async () => {
    const f = setup();
    const hp = f.logicOf("heat-pumps");
    const link = f.transports.get("heat-pumps")!;
    expect((await f.port.write(setpoints)).every((r) => r.ok)).toBe(true);
    await f.port.heartbeat();
    expect(await statuses(f)).toEqual([0, 0, 0]);

    // The heat-pump PLC drops off the network for longer than its watchdog; the cycle keeps trying.
    link.offline = true;
    for (let k = 0; k < 4; k++) {
      f.advance(10);
      await f.port.write(setpoints);
      await f.port.heartbeat();
    }
    expect(hp.inSafeMode()).toBe(true);
    expect(hp.effective()).toMatchObject({ hp1_enable: 0, hp1_heat_setpoint_kw: 0 });

    // Back on the network: a heartbeat alone, or after a refused write, must not revive the old setpoints.
    link.offline = false;
    await f.port.heartbeat();
    const hb = () => f.port.lastHeartbeat().find((b) => b.plc === "heat-pumps")!;
    expect(hb()).toMatchObject({ ok: false, withheld: true });
    expect(hb().error).toMatch(/^heat-pumps: heartbeat withheld: no setpoints written since the last failure \(write: heat-pumps \(in-memory heat-pumps\): writing controller_mode failed: no answer writing holding 2 \(fake PLC offline\)\)$/);
    expect(hp.inSafeMode()).toBe(true);
    const [refused] = await f.port.write({ hp1_enable: 1, hp1_heat_setpoint_kw: NaN });
    expect(refused!.ok).toBe(false);
    await f.port.heartbeat();
    expect(hb().error).toMatch(/^heat-pumps: heartbeat withheld: no setpoints written since the last failure \(write: heat-pumps: nothing written: hp1_heat_setpoint_kw = NaN/);
    expect(hp.inSafeMode()).toBe(true);
    expect(hp.status()).toBe(1);

    // Fresh setpoints, then the heartbeat: remote again, on the new values.
    expect((await f.port.write({ controller_mode: 1, hp1_enable: 1, hp1_heat_setpoint_kw: 222.5, hp2_enable: 1, hp2_heat_setpoint_kw: 100 }))[0]!.ok).toBe(true);
    await f.port.heartbeat();
    expect(hb()).toMatchObject({ ok: true });
    expect(hp.status()).toBe(0);
    expect(hp.effective()).toEqual({ controller_mode: 1, hp1_enable: 1, hp1_heat_setpoint_kw: 222.5, hp2_enable: 1, hp2_heat_setpoint_kw: 100 });
  });

  it("a daemon that keeps beating but stops writing lets the PLC fall back: no heartbeat once the last write is watchdog_s old", async () => {
    const f = setup();
    const hp = f.logicOf("heat-pumps");
    await f.port.write(setpoints);
    for (let k = 0; k < 9; k++) {
      await f.port.heartbeat();
      f.advance(10);
    }
    // Beats at 0, 10 and 20 s went out; from 30 s on (the watchdog) they were withheld, so the PLC tripped at 50 s.
    expect(hp.get("heartbeat")).toBe(3);
    expect(hp.inSafeMode()).toBe(true);
    expect(f.port.lastHeartbeat()[0]!.error).toBe("heat-pumps: heartbeat withheld: the last successful write is 80 s old, not younger than the watchdog's 30 s");
    await f.port.write(setpoints);
    await f.port.heartbeat();
    expect(hp.inSafeMode()).toBe(false);
  });

  it("a read that finds the PLC gone also asks for fresh setpoints before the next heartbeat", async () => {
    const f = setup();
    await f.port.write(setpoints);
    f.transports.get("greenhouse")!.offline = true;
    expect((await f.port.readRegisters(["gh_temp_c"])).get("gh_temp_c")!.quality).toBe("comm_error");
    f.transports.get("greenhouse")!.offline = false;
    await f.port.heartbeat();
    expect(f.port.lastHeartbeat().map((b) => [b.plc, b.ok])).toEqual([["heat-pumps", true], ["substation", true], ["greenhouse", false]]);
    expect(f.port.lastHeartbeat()[2]!.error).toMatch(/^greenhouse: heartbeat withheld: no setpoints written since the last failure \(read: /);
  });
});

describe("setpointRegisters: a decision under the maps' names", () => {
  it("mode codes follow control's MODES order", () => {
    expect(MODES.map((m) => CONTROLLER_MODE_CODES[m])).toEqual([0, 1, 2, 3]);
  });

  it("every name it produces is a writable register of a shipped map, and the PLCs act on the decision", async () => {
    const f = setup();
    const sp: Setpoints = { hps: [{ id: "hp1", on: true, heatKw: 520 }, { id: "hp2", on: false, heatKw: 0 }], dhSoldKw: 700, ghDirectKw: 80.4, ghBoostKw: 0 };
    const values = setpointRegisters(sp, "held");
    expect(Object.keys(values).every((n) => f.port.has(n))).toBe(true);
    const reports = await f.port.write(values);
    expect(reports.every((r) => r.ok)).toBe(true);
    await f.port.heartbeat();
    expect(f.logicOf("heat-pumps").effective()).toEqual({ controller_mode: 1, hp1_enable: 1, hp1_heat_setpoint_kw: 520, hp2_enable: 0, hp2_heat_setpoint_kw: 0 });
    expect(f.logicOf("substation").effective()).toEqual({ controller_mode: 1, dh_sold_setpoint_kw: 700 });
    expect(f.logicOf("greenhouse").effective().gh_direct_setpoint_kw).toBeCloseTo(80.4, 9);
  });
});

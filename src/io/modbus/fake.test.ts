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
    await f.port.heartbeat();
    await f.port.heartbeat();
    expect(f.logicOf("greenhouse").get("heartbeat")).toBe(0);
    await f.port.heartbeat();
    expect(f.logicOf("greenhouse").get("heartbeat")).toBe(1);
    expect(f.port.lastHeartbeat().find((b) => b.plc === "greenhouse")!.value).toBe(1);
  });

  it("watchdog through the port: heartbeats stop ⇒ status 1 and safe setpoints; resume ⇒ remote again", async () => {
    const f = setup();
    await f.port.write(setpoints);
    await f.port.heartbeat();
    const status = async () => (await f.port.readRegisters(["heat-pumps.status", "substation.status", "greenhouse.status"]));
    expect([...(await status()).values()].map((s) => s.value)).toEqual([0, 0, 0]);
    f.advance(30);
    expect([...(await status()).values()].map((s) => s.value)).toEqual([1, 1, 1]);
    expect(f.logicOf("heat-pumps").effective()).toMatchObject({ hp1_enable: 0, hp1_heat_setpoint_kw: 0 });
    await f.port.heartbeat();
    expect([...(await status()).values()].map((s) => s.value)).toEqual([0, 0, 0]);
    expect(f.logicOf("heat-pumps").effective()).toMatchObject({ hp1_enable: 1 });
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

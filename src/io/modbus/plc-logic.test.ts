import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { loadPlcMap, registerNamed, type PlcMap } from "../../config/plc-schema.ts";
import { encode } from "./codec.ts";
import { ILLEGAL_DATA_ADDRESS, ILLEGAL_DATA_VALUE, ModbusException } from "./exceptions.ts";
import { PlcLogic } from "./plc-logic.ts";

const root = resolve(import.meta.dirname, "../../..");
const hpMap = loadPlcMap(join(root, "plc/heat-pumps.yaml"));
const ghMap = loadPlcMap(join(root, "plc/greenhouse.yaml"));

/** A PLC on a hand-driven clock. */
function plc(map: PlcMap) {
  let t = 1_000_000;
  const logic = new PlcLogic(map, () => t);
  const reg = (name: string) => registerNamed(map, name)!;
  return {
    logic,
    advance: (s: number) => (t += s * 1000),
    setWord: (name: string, v: number) => logic.writeWords(reg(name).address, encode(reg(name), v)),
    beat: (v: number) => logic.writeWords(reg("heartbeat").address, [v]),
  };
}

function modbusCode(f: () => unknown): number | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof ModbusException) return e.modbusErrorCode;
    throw e;
  }
}

describe("register image and writes", () => {
  it("accepts a float32 setpoint and holds it; status reads through the holding table", () => {
    const p = plc(hpMap);
    p.setWord("hp1_heat_setpoint_kw", 321.5);
    p.beat(1);
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(321.5);
    expect(p.logic.readWords("holding", 10, 2)).toEqual(encode(registerNamed(hpMap, "hp1_heat_setpoint_kw")!, 321.5));
    expect(p.logic.readWords("holding", 0, 3)).toEqual([1, 0, 3]);
  });

  it("clamps written setpoints to the map's limits; NaN becomes the safe value", () => {
    const p = plc(hpMap);
    p.setWord("hp1_heat_setpoint_kw", 800);
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(650);
    p.setWord("hp1_heat_setpoint_kw", -5);
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(0);
    p.setWord("hp1_heat_setpoint_kw", 400);
    p.setWord("hp1_heat_setpoint_kw", NaN);
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(0);
    p.setWord("hp2_heat_setpoint_kw", Infinity);
    expect(p.logic.get("hp2_heat_setpoint_kw")).toBe(650);
    p.setWord("controller_mode", 9);
    expect(p.logic.get("controller_mode")).toBe(3);
  });

  it("clamps scaled int16 setpoints too (raw 4000 = 400.0 kW > 300 kW)", () => {
    const p = plc(ghMap);
    p.logic.writeWords(registerNamed(ghMap, "gh_direct_setpoint_kw")!.address, [4000]);
    expect(p.logic.get("gh_direct_setpoint_kw")).toBeCloseTo(300, 9);
    expect(p.logic.readWords("holding", 10, 1)).toEqual([3000]);
  });

  it("refuses read-only and unmapped addresses with ILLEGAL DATA ADDRESS, applying nothing of the request", () => {
    const p = plc(hpMap);
    p.beat(7);
    expect(modbusCode(() => p.logic.writeWords(0, [8, 0]))).toBe(ILLEGAL_DATA_ADDRESS); // heartbeat + status (read-only)
    expect(p.logic.get("heartbeat")).toBe(7);
    expect(modbusCode(() => p.logic.writeWords(5, [1]))).toBe(ILLEGAL_DATA_ADDRESS);
    expect(modbusCode(() => p.logic.readWords("holding", 3, 1))).toBe(ILLEGAL_DATA_ADDRESS);
    expect(modbusCode(() => p.logic.readWords("input", 0, 9))).toBe(ILLEGAL_DATA_ADDRESS); // 0–7 mapped, 8 not
    expect(modbusCode(() => p.logic.writeBits(2, [1]))).toBe(ILLEGAL_DATA_ADDRESS);
    expect(modbusCode(() => p.logic.readBits("discrete", 0, 3))).toBe(ILLEGAL_DATA_ADDRESS);
  });

  it("refuses a write covering only one word of a 32-bit register", () => {
    const p = plc(hpMap);
    p.setWord("hp1_heat_setpoint_kw", 100);
    expect(modbusCode(() => p.logic.writeWords(10, [0x4000]))).toBe(ILLEGAL_DATA_ADDRESS);
    expect(modbusCode(() => p.logic.writeWords(11, [0, 0x4000]))).toBe(ILLEGAL_DATA_ADDRESS);
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(100);
    expect(p.logic.readWords("holding", 11, 1)).toHaveLength(1); // reading half a float is harmless
  });

  it("refuses request quantities outside the protocol's limits with ILLEGAL DATA VALUE", () => {
    const p = plc(hpMap);
    expect(modbusCode(() => p.logic.readWords("holding", 0, 0))).toBe(ILLEGAL_DATA_VALUE);
    expect(modbusCode(() => p.logic.readWords("holding", 0, 126))).toBe(ILLEGAL_DATA_VALUE);
  });

  it("coils hold the enables; feedback registers are set by the plant side", () => {
    const p = plc(hpMap);
    p.logic.writeBits(0, [1, 1]);
    expect(p.logic.readBits("coil", 0, 2)).toEqual([1, 1]);
    p.logic.setFeedback("hp1_running", 1);
    p.logic.setFeedback("hp1_heat_kw", 612.25);
    expect(p.logic.readBits("discrete", 0, 2)).toEqual([1, 0]);
    expect(p.logic.get("hp1_heat_kw")).toBe(612.25);
    expect(() => p.logic.setFeedback("hp1_enable", 1)).toThrow(/not a feedback register/);
    const g = plc(ghMap);
    g.logic.setFeedback("gh_temp_c", -5.3);
    expect(g.logic.readWords("input", 0, 1)).toEqual([0x10000 - 53]);
    g.logic.setFeedback("gh_direct_kw", 1e6); // beyond int16 at 0.1: saturates at 3276.7
    expect(g.logic.get("gh_direct_kw")).toBeCloseTo(3276.7, 6);
  });
});

describe("watchdog", () => {
  it("starts in safe mode: no heartbeat seen since power-up", () => {
    const p = plc(hpMap);
    expect(p.logic.status()).toBe(1);
    expect(p.logic.effective()).toEqual({ controller_mode: 3, hp1_heat_setpoint_kw: 0, hp2_heat_setpoint_kw: 0, hp1_enable: 0, hp2_enable: 0 });
  });

  it("heartbeat unchanged for watchdog_s ⇒ safe setpoints and status 1; a change brings the remote ones back", () => {
    const p = plc(hpMap);
    p.setWord("hp1_heat_setpoint_kw", 500);
    p.logic.writeBits(0, [1]);
    p.setWord("controller_mode", 0);
    p.beat(1);
    const remote = { controller_mode: 0, hp1_heat_setpoint_kw: 500, hp2_heat_setpoint_kw: 0, hp1_enable: 1, hp2_enable: 0 };
    expect(p.logic.status()).toBe(0);
    expect(p.logic.effective()).toEqual(remote);

    p.advance(29.999);
    expect(p.logic.status()).toBe(0);
    p.beat(1); // the same value again is not a heartbeat
    p.advance(0.001);
    expect(p.logic.status()).toBe(1);
    expect(p.logic.readWords("holding", 1, 1)).toEqual([1]);
    expect(p.logic.effective()).toMatchObject({ hp1_heat_setpoint_kw: 0, hp1_enable: 0, controller_mode: 3 });
    // Safe mode does not overwrite what chaleur last wrote.
    expect(p.logic.get("hp1_heat_setpoint_kw")).toBe(500);

    p.advance(3600);
    expect(p.logic.status()).toBe(1);
    p.beat(2);
    expect(p.logic.status()).toBe(0);
    expect(p.logic.effective()).toEqual(remote);
  });

  it("a heartbeat every cycle keeps it remote; wrapping 65535 → 0 counts as a change", () => {
    const p = plc(hpMap);
    p.beat(65534);
    for (const v of [65535, 0, 1]) {
      p.advance(10);
      p.beat(v);
      expect(p.logic.status()).toBe(0);
    }
    p.advance(29);
    expect(p.logic.status()).toBe(0);
    p.advance(1);
    expect(p.logic.status()).toBe(1);
  });
});

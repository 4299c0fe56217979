import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { loadPlcMap } from "../../config/plc-schema.ts";
import { LogicTransport } from "./fake.ts";
import { PlcLogic } from "./plc-logic.ts";
import { PlcSession } from "./session.ts";
import { CommError } from "./transport.ts";

const root = resolve(import.meta.dirname, "../../..");
const hpMap = loadPlcMap(join(root, "plc/heat-pumps.yaml"));

/** Enables listed first on purpose: the order of the names must not decide the order on the wire. */
const decision = { hp1_enable: 1, hp2_enable: 1, controller_mode: 0, hp1_heat_setpoint_kw: 480, hp2_heat_setpoint_kw: 250 };

/** The in-memory PLC, logging every request it is asked for; `failWrites` makes writes to one table fail. */
class RecordingTransport extends LogicTransport {
  readonly log: string[] = [];
  failWrites: "holding" | "coil" | null = null;

  override read(fn: Parameters<LogicTransport["read"]>[0], address: number, count: number): Promise<number[]> {
    this.log.push(`read ${fn} ${address}`);
    return super.read(fn, address, count);
  }

  override write(fn: "holding" | "coil", address: number, words: readonly number[]): Promise<void> {
    this.log.push(`write ${fn} ${address}`);
    if (fn === this.failWrites) return Promise.reject(new CommError(`no answer writing ${fn} ${address} (test)`));
    return super.write(fn, address, words);
  }
}

function setup() {
  let t = 0;
  const logic = new PlcLogic(hpMap, () => t);
  const transport = new RecordingTransport(logic);
  return { logic, transport, session: new PlcSession(hpMap, transport, () => t) };
}

describe("write order: setpoints before enables", () => {
  it("writes the holding registers before the coils", async () => {
    const { transport, session } = setup();
    const r = await session.write(decision);
    expect(r.ok).toBe(true);
    expect(transport.log.filter((l) => l.startsWith("write"))).toEqual(["write holding 2", "write holding 10", "write coil 0"]);
  });

  it("when the setpoint write fails, the enables are not touched", async () => {
    const { logic, transport, session } = setup();
    transport.failWrites = "holding";
    const r = await session.write(decision);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/writing controller_mode failed: no answer writing holding 2 \(test\)$/);
    expect(transport.log.some((l) => l.startsWith("write coil"))).toBe(false);
    expect(logic.readBits("coil", 0, 2)).toEqual([0, 0]);
    expect(r.written).toEqual({});
  });
});

describe("a closed session", () => {
  it("fails every write, heartbeat and read with 'closed' and sends nothing", async () => {
    const { transport, session } = setup();
    expect((await session.write(decision)).ok).toBe(true);
    await session.close();
    const sent = transport.log.length;
    const w = await session.write({ hp1_enable: 0 });
    expect(w.ok).toBe(false);
    expect(w.error).toMatch(/closed/);
    const hb = await session.heartbeat();
    expect(hb.ok).toBe(false);
    expect(hb.error).toMatch(/closed/);
    const read = session.read(["hp1_heat_kw"]);
    await expect(read).rejects.toBeInstanceOf(CommError);
    await expect(read).rejects.toThrow(/reading hp1_heat_kw failed: closed/);
    expect(transport.log.length).toBe(sent);
  });
});

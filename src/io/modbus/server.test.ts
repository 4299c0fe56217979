import { afterEach, describe, expect, it } from "vitest";
import { connect, createServer, type AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { loadPlcMap, type PlcMap } from "../../config/plc-schema.ts";
import { PlcLogic } from "./plc-logic.ts";
import { frame, pdu, RawConnection, writeMultiple } from "./raw-mbap.ts";
import { startPlcServer, type PlcServerOptions } from "./server.ts";

/**
 * The simulated PLC's Modbus TCP server against the spec, over a real loopback socket with raw frames (a library
 * client will not send most of these). Each case failed against modbus-serial 8.0.25's ServerTCP, except the
 * segmented frame and the unit id / function code cases, which pin behaviour the replacement had to keep.
 */

const root = resolve(import.meta.dirname, "../../..");
const hpMap = loadPlcMap(join(root, "plc/heat-pumps.yaml"));
const HOST = "127.0.0.1";
const ILLEGAL_DATA_VALUE = 3;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function plc(map: PlcMap = hpMap, extra: Partial<PlcServerOptions> = {}) {
  const logic = new PlcLogic(map, Date.now);
  const server = await startPlcServer({ map, logic, host: HOST, port: 0, ...extra });
  cleanup.push(() => server.close());
  const open = async () => {
    const c = await RawConnection.open(server.port);
    cleanup.push(() => c.destroy());
    return c;
  };
  return { logic, server, open };
}

/** "connected", or the error code of a connection attempt. */
function tryConnect(port: number): Promise<string> {
  return new Promise((r) => {
    const s = connect({ host: HOST, port });
    s.once("connect", () => (s.destroy(), r("connected")));
    s.once("error", (e: NodeJS.ErrnoException) => r(e.code ?? e.message));
  });
}

const exceptionOf = (fc: number, code: number) => Buffer.from([fc | 0x80, code]);

describe("request sizes beyond the protocol's limits answer exception 03", () => {
  it("FC3/FC4 over 125 registers and FC1/FC2 over 2000 bits (and 0 of either); at the limit the address check decides", async () => {
    const { open } = await plc();
    const c = await open();
    for (const fc of [3, 4]) {
      expect(await c.ask(pdu(fc, 0, 126))).toEqual(exceptionOf(fc, ILLEGAL_DATA_VALUE));
      expect(await c.ask(pdu(fc, 0, 0))).toEqual(exceptionOf(fc, ILLEGAL_DATA_VALUE));
      expect(await c.ask(pdu(fc, 0, 125))).toEqual(exceptionOf(fc, 2)); // a legal size: then 02 for the unmapped addresses
    }
    for (const fc of [1, 2]) {
      expect(await c.ask(pdu(fc, 0, 2001))).toEqual(exceptionOf(fc, ILLEGAL_DATA_VALUE));
      expect(await c.ask(pdu(fc, 0, 0))).toEqual(exceptionOf(fc, ILLEGAL_DATA_VALUE));
      expect(await c.ask(pdu(fc, 0, 2000))).toEqual(exceptionOf(fc, 2));
    }
    // The connection is still in step afterwards.
    expect(await c.ask(pdu(3, 0, 3))).toEqual(Buffer.from([3, 6, 0, 0, 0, 1, 0, 3]));
  });
});

describe("write-multiple whose byte count disagrees with its quantity", () => {
  it("FC16 and FC15 are refused with 03 and nothing is written", async () => {
    const { open, logic } = await plc();
    const c = await open();
    // FC16 to controller_mode (holding 2, one register) carrying 4 bytes: modbus-serial wrote the first word.
    expect(await c.ask(writeMultiple(16, 2, 1, [0, 1, 0, 2]))).toEqual(exceptionOf(16, ILLEGAL_DATA_VALUE));
    // Two registers announced, one word sent (the MBAP length matches the PDU: a malformed PDU, not a lying frame).
    expect(await c.ask(writeMultiple(16, 10, 2, [0x43, 0x96]))).toEqual(exceptionOf(16, ILLEGAL_DATA_VALUE));
    // FC15: two coils in two bytes (one is right).
    expect(await c.ask(writeMultiple(15, 0, 2, [0x03, 0x00]))).toEqual(exceptionOf(15, ILLEGAL_DATA_VALUE));
    expect(await c.ask(writeMultiple(15, 0, 9, [0xff]))).toEqual(exceptionOf(15, ILLEGAL_DATA_VALUE));
    expect([logic.get("controller_mode"), logic.get("hp1_heat_setpoint_kw"), logic.get("hp1_enable"), logic.get("hp2_enable")]).toEqual([3, 0, 0, 0]);
    expect(await c.ask(pdu(3, 0, 3))).toEqual(Buffer.from([3, 6, 0, 0, 0, 1, 0, 3]));
    // The same requests with a true byte count are applied: the refusal above was about the count alone.
    expect(await c.ask(writeMultiple(16, 2, 1, [0, 1]))).toEqual(pdu(16, 2, 1));
    expect(await c.ask(writeMultiple(15, 0, 2, [0x03]))).toEqual(pdu(15, 0, 2));
    expect(await c.ask(writeMultiple(16, 10, 2, [0x43, 0x96, 0, 0]))).toEqual(pdu(16, 10, 2));
    expect([logic.get("controller_mode"), logic.get("hp1_heat_setpoint_kw"), logic.get("hp1_enable"), logic.get("hp2_enable")]).toEqual([1, 300, 1, 1]);
  });
});

describe("write-single-coil values", () => {
  it("FC5 accepts only 0xFF00 and 0x0000; any other value is refused with 03 and the coil is unchanged", async () => {
    const { open, logic } = await plc();
    const c = await open();
    for (const bad of [0x0001, 0x00ff, 0xff01, 0x1234, 0xffff]) expect(await c.ask(pdu(5, 0, bad))).toEqual(exceptionOf(5, ILLEGAL_DATA_VALUE));
    expect(logic.get("hp1_enable")).toBe(0);
    expect(await c.ask(pdu(5, 0, 0xff00))).toEqual(pdu(5, 0, 0xff00));
    expect(logic.get("hp1_enable")).toBe(1);
    for (const bad of [0x0001, 0x1234]) expect(await c.ask(pdu(5, 0, bad))).toEqual(exceptionOf(5, ILLEGAL_DATA_VALUE));
    expect(logic.get("hp1_enable")).toBe(1);
    expect(await c.ask(pdu(5, 0, 0x0000))).toEqual(pdu(5, 0, 0x0000));
    expect(logic.get("hp1_enable")).toBe(0);
  });
});

describe("frames whose MBAP length lies close the connection", () => {
  const read = pdu(3, 0, 3);
  const cases: [string, Buffer][] = [
    // Says one byte fewer: the PDU would end inside the quantity and the last byte would start the next "frame".
    ["says fewer bytes than the PDU", frame(read, { length: 5 })],
    // Says two bytes more: the next request's first two bytes would be read as part of this one.
    ["says more bytes than the PDU (the next request follows)", Buffer.concat([frame(read, { length: 8 }), frame(read, { transaction: 2 })])],
    // FC16 announcing 4 data bytes, but the MBAP length carries 6 of them.
    ["disagrees with the FC16 byte count", Buffer.concat([frame(writeMultiple(16, 10, 2, [0x43, 0x96, 0, 0, 0, 0], 4)), frame(read, { transaction: 2 })])],
    ["is below unit id + function code", frame([], { length: 1 })],
    ["is beyond the 253-byte PDU (not waited for)", frame(read, { length: 0xffff })],
    ["comes with a protocol id other than 0", frame(read, { protocol: 1 })],
  ];
  for (const [what, bytes] of cases) {
    it(`MBAP length that ${what}: closed, nothing answered, nothing applied`, async () => {
      const { open, logic } = await plc();
      const c = await open();
      expect(await c.ask(read, { transaction: 7 })).toEqual(Buffer.from([3, 6, 0, 0, 0, 1, 0, 3])); // in step before
      c.send(bytes);
      expect(await c.next()).toBe("closed");
      expect(c.bytesReceived).toBe(0);
      expect(logic.get("hp1_heat_setpoint_kw")).toBe(0);
      // The server itself carries on: a new connection is served.
      expect(await (await open()).ask(read)).toHaveLength(8);
    });
  }

  it("a frame split across TCP segments is not a lie: it is answered once complete", async () => {
    const { open } = await plc();
    const c = await open();
    const whole = frame(pdu(3, 0, 3), { transaction: 0xbeef });
    for (const part of [whole.subarray(0, 3), whole.subarray(3, 8), whole.subarray(8)]) {
      c.send(part);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await c.next()).toEqual({ transaction: 0xbeef, unit: 1, pdu: Buffer.from([3, 6, 0, 0, 0, 1, 0, 3]) });
  });
});

describe("half-close", () => {
  it("requests followed by socket.end() are all answered, in order, then the server closes its side", async () => {
    const { open, logic } = await plc();
    const c = await open();
    c.socket.end(Buffer.concat([frame(writeMultiple(16, 10, 2, [0x43, 0x96, 0, 0]), { transaction: 1 }), frame(pdu(3, 10, 2), { transaction: 2 })]));
    expect(await c.next()).toEqual({ transaction: 1, unit: 1, pdu: pdu(16, 10, 2) });
    expect(await c.next()).toEqual({ transaction: 2, unit: 1, pdu: Buffer.from([3, 4, 0x43, 0x96, 0, 0]) });
    expect(await c.next()).toBe("closed");
    expect(logic.get("hp1_heat_setpoint_kw")).toBe(300);
  });
});

describe("unit id and function codes", () => {
  it("another unit id gets no answer; an unknown function gets 01; FC6 writes one register", async () => {
    const { open, logic } = await plc();
    const c = await open();
    c.send(frame(pdu(3, 0, 3), { unit: 9, transaction: 1 }));
    expect(await c.ask(pdu(3, 0, 1), { transaction: 2 })).toEqual(Buffer.from([3, 2, 0, 0])); // only the second is answered
    expect(await c.ask(Buffer.from([43, 14, 1, 0]))).toEqual(exceptionOf(43, 1));
    expect(await c.ask(pdu(6, 2, 2))).toEqual(pdu(6, 2, 2));
    expect(logic.get("controller_mode")).toBe(2);
    expect(await c.ask(pdu(6, 10, 0x4000))).toEqual(exceptionOf(6, 2)); // half a float32
  });
});

describe("listening", () => {
  it("a port in use: rejects with code EADDRINUSE and the port in a one-line message, leaving nothing listening", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen({ host: HOST, port: 0 }, done));
    const port = (blocker.address() as AddressInfo).port;
    const logic = new PlcLogic(hpMap, Date.now);
    const attempt = startPlcServer({ map: hpMap, logic, host: HOST, port });
    const outcome = await Promise.race([attempt.then(() => "listening", (e: unknown) => e), new Promise((r) => setTimeout(() => r("hung"), 10_000))]);
    expect(outcome).toBeInstanceOf(Error);
    const e = outcome as Error & { code?: string };
    expect(e.code).toBe("EADDRINUSE");
    expect(e.message).toBe(`PLC 'heat-pumps' cannot listen on ${HOST}:${port}: the port is already in use (EADDRINUSE)`);
    await new Promise<void>((done) => blocker.close(() => done()));
    // Nothing of the failed server is left on the port: a connection is refused, and a new server can take it.
    expect(await tryConnect(port)).toBe("ECONNREFUSED");
    const again = await startPlcServer({ map: hpMap, logic, host: HOST, port });
    cleanup.push(() => again.close());
    expect(again.port).toBe(port);
  });
});

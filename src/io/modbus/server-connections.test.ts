import { afterEach, describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { loadPlcMap } from "../../config/plc-schema.ts";
import { PlcLogic } from "./plc-logic.ts";
import { frame, pdu, RawConnection } from "./raw-mbap.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, startPlcServer, type PlcServerOptions } from "./server.ts";

/**
 * The simulated PLC's connection housekeeping over loopback: idle connections are closed, and only so many are
 * served at once. Both failed against modbus-serial 8.0.25's ServerTCP, which has neither. Waits are generous and
 * bounded: a busy machine makes them slower, not red.
 */

const hpMap = loadPlcMap(join(resolve(import.meta.dirname, "../../.."), "plc/heat-pumps.yaml"));
const HEAD = Buffer.from([3, 6, 0, 0, 0, 1, 0, 3]); // FC3 holding 0–2 of a fresh heat-pump PLC
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function plc(extra: Partial<PlcServerOptions> = {}) {
  const server = await startPlcServer({ map: hpMap, logic: new PlcLogic(hpMap, Date.now), host: "127.0.0.1", port: 0, ...extra });
  cleanup.push(() => server.close());
  const open = async () => {
    const c = await RawConnection.open(server.port);
    cleanup.push(() => c.destroy());
    return c;
  };
  return { server, open };
}

describe("idle timeout", () => {
  it("defaults to 60 s", () => {
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBe(60_000);
  });

  it("a connection without a complete request for idleTimeoutMs is closed; requests keep it open; a partial frame does not", async () => {
    const IDLE_MS = 1500;
    const { open } = await plc({ idleTimeoutMs: IDLE_MS });
    const busy = await open();
    const quiet = await open();
    const partial = await open();
    partial.send(frame(pdu(3, 0, 3)).subarray(0, 4));
    const t0 = performance.now();
    expect(await quiet.ask(pdu(3, 0, 3))).toEqual(HEAD);
    // `busy` asks every 100 ms for longer than the idle time: it must stay open throughout.
    while (performance.now() - t0 < 2 * IDLE_MS) {
      expect(await busy.ask(pdu(3, 0, 3))).toEqual(HEAD);
      await sleep(100);
    }
    expect(busy.serverClosed).toBe(false);
    expect(await quiet.closedByServer(20_000)).toBe(true);
    expect(await partial.closedByServer(20_000)).toBe(true);
    expect(quiet.bytesReceived).toBe(0); // nothing beyond the one answer, which next() consumed
    expect(await busy.closedByServer(20_000)).toBe(true); // and once quiet, it goes too
  });
});

describe("connection cap", () => {
  for (const [label, max] of [["the default (8)", undefined], ["maxConnections: 2", 2]] as const) {
    it(`${label}: that many are served at once; the next is closed unanswered; a freed slot is usable again`, async () => {
      const cap = max ?? DEFAULT_MAX_CONNECTIONS;
      const { open } = await plc(max === undefined ? {} : { maxConnections: max });
      const served: RawConnection[] = [];
      for (let i = 0; i < cap; i++) {
        const c = await open();
        expect(await c.ask(pdu(3, 0, 3))).toEqual(HEAD); // accepted and counted before the next one opens
        served.push(c);
      }
      const extra = await open();
      extra.send(frame(pdu(3, 0, 3)));
      expect(await extra.next()).toBe("closed");
      expect(extra.bytesReceived).toBe(0);
      for (const c of served) expect(await c.ask(pdu(3, 0, 3))).toEqual(HEAD);

      // Free one slot; the server learns of it asynchronously, so try a bounded number of times.
      served.pop()!.destroy();
      let answered = false;
      for (let attempt = 0; attempt < 50 && !answered; attempt++) {
        const c = await open();
        c.send(frame(pdu(3, 0, 3)));
        const got = await c.next();
        answered = got !== "closed";
        if (!answered) await sleep(100);
      }
      expect(answered).toBe(true);
    });
  }
  it("defaults to 8", () => {
    expect(DEFAULT_MAX_CONNECTIONS).toBe(8);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../../config/plant-model.ts";
import { measurementCatalogue, simNodeId, type MeasurementSpec } from "../catalogue.ts";
import type { Sample } from "../types.ts";
import type { OpcuaTag } from "./client.ts";

/** A fresh folder for one test file's PKI stores; remove() at the end. */
export function tmpDataDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `chaleur-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function parisCatalogue(): MeasurementSpec[] {
  return measurementCatalogue(loadModel("models/paris-chapelle.yaml"));
}

/** The simulator's tags with the catalogue's ranges (the daemon's config would set its own limits). */
export function catalogueTags(specs: readonly MeasurementSpec[], maxAgeS: number): OpcuaTag[] {
  return specs.map((s) => ({ nodeId: simNodeId(s.name), measurement: s.name, min: s.min, max: s.max, maxAgeS, kind: s.kind }));
}

/** Polls until pred holds on a read (notifications arrive asynchronously); fails with the last snapshot. */
export async function waitForSamples(read: () => Promise<Map<string, Sample>>, pred: (s: Map<string, Sample>) => boolean, timeoutMs = 5000): Promise<Map<string, Sample>> {
  const t0 = Date.now();
  let last = await read();
  while (!pred(last)) {
    if (Date.now() - t0 > timeoutMs) {
      const lines = [...last].map(([m, s]) => `${m}: ${s.quality} ${s.value}${s.detail ? ` (${s.detail})` : ""}`);
      throw new Error(`condition not met within ${timeoutMs} ms; last read:\n${lines.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 20));
    last = await read();
  }
  return last;
}

/** A value inside the measurement's range, distinct per index, so that a mix-up between tags shows. */
export function plausibleValue(spec: MeasurementSpec, i: number): number | boolean {
  if (spec.kind === "boolean") return i % 2 === 0;
  return Math.round((spec.min + (spec.max - spec.min) * (0.1 + 0.03 * i)) * 1000) / 1000;
}

/**
 * A TCP relay that can go silent without closing anything, like a cable pulled between two switches: the
 * client's socket stays open and only the absence of answers can tell it the server is gone.
 */
export interface SilentableRelay {
  port: number;
  /** Stop forwarding (both ways, existing and new connections) without closing any socket. */
  silence(): void;
  /** Forward again; the connections held during the silence are dropped, as a real outage would end. */
  restore(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<SilentableRelay> {
  let silent = false;
  const pairs = new Set<[Socket, Socket]>();
  const held = new Set<Socket>();
  const srv = createServer((a) => {
    if (silent) {
      held.add(a);
      a.on("error", () => undefined);
      return;
    }
    const b = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [a, b];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      a.destroy();
      b.destroy();
    };
    a.on("data", (d) => {
      if (!silent) b.write(d);
    });
    b.on("data", (d) => {
      if (!silent) a.write(d);
    });
    for (const s of pair) {
      s.on("error", drop);
      s.on("close", drop);
    }
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  return {
    port: typeof addr === "object" && addr ? addr.port : 0,
    silence: () => {
      silent = true;
    },
    restore: () => {
      silent = false;
      for (const s of held) s.destroy();
      held.clear();
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of held) s.destroy();
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        srv.close(() => r());
      }),
  };
}

/** "refused", "connected", "no answer" or the error code: whether a TCP connection to host:port is accepted. */
export function tcpOutcome(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const s = connect({ host, port });
    s.setTimeout(10_000, () => {
      s.destroy();
      done("no answer");
    });
    s.once("connect", () => {
      s.destroy();
      done("connected");
    });
    s.once("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" ? "refused" : (e.code ?? e.message)));
  });
}

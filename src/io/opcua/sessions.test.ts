import { afterAll, afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import { simNodeId } from "../catalogue.ts";
import { createOpcuaMeasurementPort, type OpcuaMeasurementPort } from "./client.ts";
import { DEFAULT_MAX_SESSION_TIMEOUT_MS, startOpcuaServer, type OpcuaPlantServer, type OpcuaServerOptions } from "./server.ts";
import { tmpDataDir, waitForSamples } from "./test-helpers.ts";

/**
 * A client killed without closing its sessions leaves them on the server until they time out. With node-opcua's
 * defaults (10 sessions, timeouts granted up to 50 min) ten of them locked every other client out; these tests
 * abandon ten sessions the way a crash does (a child process killed with SIGKILL) and look at what chaleur's own
 * client gets next.
 */

setLogLevel(LogLevel.Error);

const root = resolve(import.meta.dirname, "../../..");
const USER = { username: "operator", password: "sessions-test" };
const TAG = "dc.it_heat_kw";
const MEASUREMENTS = [{ name: TAG, folder: ["DataCentre"], browseName: "ITHeat", unit: "kW", description: "IT heat", kind: "number" as const, min: 0, max: 5000 }];
/** What the abandoning client asks for: an hour, as a careless client would. */
const REQUESTED_TIMEOUT_MS = 3_600_000;
const tmp = tmpDataDir("opcua-sessions");
let servers: OpcuaPlantServer[] = [];
let ports: OpcuaMeasurementPort[] = [];
let children: ChildProcess[] = [];

// Runs in a child process (node -e), so that killing it abandons its sessions as a crash would: no CloseSession, the
// kernel resets the sockets.
const ABANDONER = `
const [url, user, password, dir, n, requested] = process.argv.slice(1);
const { OPCUAClient, OPCUACertificateManager, UserTokenType, setLogLevel, LogLevel } = await import("node-opcua");
setLogLevel(LogLevel.Error);
const cm = new OPCUACertificateManager({ rootFolder: dir, automaticallyAcceptUnknownCertificate: true });
const timeouts = [];
for (let i = 0; i < Number(n); i++) {
  const c = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm, requestedSessionTimeout: Number(requested), keepSessionAlive: false });
  await c.connect(url);
  const s = await c.createSession({ type: UserTokenType.UserName, userName: user, password });
  timeouts.push(s.timeout);
}
process.stdout.write(JSON.stringify({ timeouts }) + "\\n");
setInterval(() => {}, 1 << 30);
`;

interface Abandoner {
  /** Session timeouts the server granted, one per session. */
  timeouts: number[];
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** Ten sessions (or n) opened by another process, which keeps them open (no activity) until kill(). */
async function openSessionsElsewhere(server: OpcuaPlantServer, n: number, name: string): Promise<Abandoner> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", ABANDONER, server.endpointUrl, USER.username, USER.password, `${tmp.dir}/${name}`, String(n), String(REQUESTED_TIMEOUT_MS)], { cwd: root });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const t0 = Date.now();
  while (!out.includes("\n")) {
    if (child.exitCode !== null || Date.now() - t0 > 60_000) throw new Error(`the session-opening child did not get ${n} sessions: ${out}${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { timeouts } = JSON.parse(out) as { timeouts: number[] };
  return {
    timeouts,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

async function server(name: string, over: Partial<OpcuaServerOptions> = {}): Promise<OpcuaPlantServer> {
  const s = await startOpcuaServer({ port: 0, dataDir: `${tmp.dir}/${name}`, measurements: MEASUREMENTS, users: [USER], securityModes: ["None"], ...over });
  servers.push(s);
  s.update(new Map([[TAG, { value: 1234, sourceMs: Date.now() }]]));
  return s;
}

function chaleurClient(s: OpcuaPlantServer): OpcuaMeasurementPort {
  const p = createOpcuaMeasurementPort(
    { endpointUrl: s.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/chaleur`, tags: [{ nodeId: simNodeId(TAG), measurement: TAG, min: 0, max: 5000, maxAgeS: 3600 }], publishingIntervalMs: 50 },
    Date.now,
  );
  ports.push(p);
  return p;
}

/** chaleur connects and reads the plant's value: resolves with how long it took. */
async function connectsAndReads(s: OpcuaPlantServer): Promise<number> {
  const t0 = Date.now();
  const p = chaleurClient(s);
  await p.connect();
  const got = await waitForSamples(() => p.read(), (m) => m.get(TAG)?.quality === "good", 10_000);
  expect(got.get(TAG)!.value).toBe(1234);
  const ms = Date.now() - t0;
  await p.close();
  return ms;
}

afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const p of ports) await p.close();
  for (const s of servers) await s.stop();
  children = [];
  ports = [];
  servers = [];
});

afterAll(() => tmp.remove());

describe("OPC UA sessions abandoned by a killed client", () => {
  it("ten of them (asking for an hour each) neither lock chaleur out nor are granted more than 30 s", { timeout: 120_000 }, async () => {
    const s = await server("plant");
    const crashed = await openSessionsElsewhere(s, 10, "crasher");
    expect(crashed.timeouts).toEqual(Array(10).fill(DEFAULT_MAX_SESSION_TIMEOUT_MS));
    // ten live connections and sessions besides chaleur's: beyond node-opcua's default of 10 of each
    expect(s.sessionCount()).toBe(10);
    await connectsAndReads(s);
    await crashed.kill();
    // The killed client's sessions are still held (they wait for a reconnection until their timeout) ...
    expect(s.sessionCount()).toBe(10);
    // ... and chaleur still gets in, without waiting for them to expire (it would be refused at once, not delayed).
    const ms = await connectsAndReads(s);
    expect(ms).toBeLessThan(DEFAULT_MAX_SESSION_TIMEOUT_MS);
  });

  it("with node-opcua's default limit of 10 sessions the same crash locks chaleur out (what the limit fixes)", { timeout: 120_000 }, async () => {
    const s = await server("plant-10", { maxSessions: 10 });
    const crashed = await openSessionsElsewhere(s, 10, "crasher-10");
    await crashed.kill();
    const p = chaleurClient(s);
    await expect(p.connect()).rejects.toThrow(/BadTooManySessions/);
  });

  it("the server ends abandoned sessions after its cap, whatever timeout the client asked for", { timeout: 120_000 }, async () => {
    const capMs = 2000;
    const s = await server("plant-capped", { maxSessionTimeoutMs: capMs });
    const crashed = await openSessionsElsewhere(s, 10, "crasher-capped");
    expect(crashed.timeouts).toEqual(Array(10).fill(capMs));
    await crashed.kill();
    // Bounded wait, far beyond the cap; without it the sessions would stay for the hour they asked for.
    const t0 = Date.now();
    while (s.sessionCount() > 0 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(s.sessionCount()).toBe(0);
  });
});

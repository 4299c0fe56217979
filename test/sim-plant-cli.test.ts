import { tcpOutcome } from "../src/io/opcua/test-helpers.ts";
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ModbusRTU from "modbus-serial";
import { LogLevel, OPCUAClient, setLogLevel } from "node-opcua";
import { freePort } from "../src/io/free-port.ts";
import { makeCertificateManager } from "../src/io/opcua/pki.ts";

setLogLevel(LogLevel.Error);

const root = resolve(import.meta.dirname, "..");
const main = join(root, "src/cli/main.ts");
const MODEL = "models/paris-chapelle.yaml";
/** plc/*.yaml: the command serves three PLCs, on --modbus-port, +1 and +2. */
const PLCS = 3;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = mkdtempSync(join(tmpdir(), "chaleur-simplant-"));
  dirs.push(d);
  return d;
}

/** An address of this machine other than loopback, if it has one: where a LAN client would connect. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((i) => i.family === "IPv4" && !i.internal)?.address;

/** Whether a program could listen on 127.0.0.1:port now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => done(true)));
  });
}

/** `n` consecutive ports free now (the PLCs listen on --modbus-port + k). */
async function freeRun(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    if (first + n - 1 > 65535) continue;
    let all = true;
    for (let k = 1; k < n && all; k++) all = await portFree(first + k);
    if (all) return first;
  }
  throw new Error(`no ${n} consecutive free ports found`);
}

/** A plain TCP listener on 127.0.0.1:port, standing for another program that holds the port. */
async function occupy(port: number): Promise<Server> {
  const s = createServer((sock) => sock.destroy());
  await new Promise<void>((r, j) => {
    s.once("error", j);
    s.listen(port, "127.0.0.1", () => r());
  });
  return s;
}

function simPlant(args: string[]): { child: ChildProcess; output: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", main, "sim-plant", "--model", MODEL, ...args], { cwd: root });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, output: () => out + err, stderr: () => err, exit };
}

/** The exit code of a process that must end on its own; killed (and the test failed) if it does not within 90 s. */
async function endsOnItsOwn(run: ReturnType<typeof simPlant>): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), 90_000)));
  const outcome = await Promise.race([run.exit, late]);
  clearTimeout(timer);
  if (outcome === "late") {
    run.child.kill("SIGKILL");
    throw new Error(`sim-plant did not exit on its own: ${run.output()}`);
  }
  return outcome;
}

describe("chaleur sim-plant (the command)", () => {
  it("starts on loopback only, prints the endpoint the server advertises, serves the PLCs over Modbus (safe at power-up, status 1), and stops cleanly on SIGTERM", { timeout: 120_000 }, async () => {
    const opcuaPort = await freePort();
    const modbusPort = await freeRun(PLCS);
    const run = simPlant(["--opcua-port", String(opcuaPort), "--modbus-port", String(modbusPort), "--data-dir", tmpDir(), "--log-every-s", "1"]);
    const t0 = Date.now();
    while (!/heat-pumps SAFE/.test(run.output())) {
      if (Date.now() - t0 > 60_000 || run.child.exitCode !== null) throw new Error(`sim-plant did not come up: ${run.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const printed = `opc.tcp://127.0.0.1:${opcuaPort}`;
    expect(run.output()).toContain(`OPC UA  ${printed} (`);
    for (const [k, plc] of ["heat-pumps", "substation", "greenhouse"].entries()) expect(run.output()).toContain(`Modbus  ${plc}: 127.0.0.1:${modbusPort + k} unit`);

    // What a client is told is what a person is told.
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: makeCertificateManager(tmpDir(), "pki", { autoAccept: true, watchFiles: false }) });
    await client.connect(printed);
    const endpoints = await client.getEndpoints();
    await client.disconnect();
    expect(new Set(endpoints.map((e) => e.endpointUrl))).toEqual(new Set([printed]));

    // Neither protocol answers on the machine's network address.
    if (lanAddress) for (const p of [opcuaPort, modbusPort]) expect(await tcpOutcome(lanAddress, p)).toBe("refused");

    const m = new ModbusRTU();
    await m.connectTCP("127.0.0.1", { port: modbusPort });
    m.setID(1);
    m.setTimeout(2000);
    const status = await m.readHoldingRegisters(1, 1);
    expect(status.data[0]).toBe(1); // no heartbeat seen since power-up: safe
    m.close(() => undefined);
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain("sim-plant: stopped");
  });

  it("--host 0.0.0.0 opens both protocols to the network, and the printed endpoint is still the advertised one", { timeout: 120_000 }, async () => {
    const opcuaPort = await freePort();
    const modbusPort = await freeRun(PLCS);
    const run = simPlant(["--host", "0.0.0.0", "--opcua-port", String(opcuaPort), "--modbus-port", String(modbusPort), "--data-dir", tmpDir()]);
    try {
      const t0 = Date.now();
      while (!/listening on every interface/.test(run.output())) {
        if (Date.now() - t0 > 60_000 || run.child.exitCode !== null) throw new Error(`sim-plant did not come up: ${run.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const printed = /OPC UA {2}(opc\.tcp:\/\/\S+) \(/.exec(run.output())?.[1];
      expect(printed).toMatch(new RegExp(`^opc\\.tcp://[^/:]+:${opcuaPort}$`));
      expect(printed).not.toContain("0.0.0.0");
      expect(run.output()).toContain(`Modbus  heat-pumps: 0.0.0.0:${modbusPort} unit`);
      // Asked over loopback, so as not to depend on this machine's name resolving here.
      const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: makeCertificateManager(tmpDir(), "pki", { autoAccept: true, watchFiles: false }) });
      await client.connect(`opc.tcp://127.0.0.1:${opcuaPort}`);
      const endpoints = await client.getEndpoints();
      await client.disconnect();
      expect(new Set(endpoints.map((e) => e.endpointUrl))).toEqual(new Set([printed]));
      if (lanAddress) for (const p of [opcuaPort, modbusPort]) expect(await tcpOutcome(lanAddress, p)).toBe("connected");
    } finally {
      run.child.kill("SIGTERM");
      await run.exit;
    }
  });

  it("an OPC UA port in use is one line naming --opcua-port, exit code 2, and nothing left listening", { timeout: 120_000 }, async () => {
    const opcuaPort = await freePort();
    const modbusPort = await freeRun(PLCS);
    const blocker = await occupy(opcuaPort);
    try {
      const run = simPlant(["--opcua-port", String(opcuaPort), "--modbus-port", String(modbusPort), "--data-dir", tmpDir()]);
      expect(await endsOnItsOwn(run)).toBe(2);
      expect(run.stderr()).toBe(`chaleur: --opcua-port: expected a free port (port ${opcuaPort} is already in use; choose another with --opcua-port)\n`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    for (let k = 0; k < PLCS; k++) expect(await portFree(modbusPort + k)).toBe(true);
  });

  it("a Modbus port in use (the second PLC's) is one line naming --modbus-port and the port, exit code 2, and every server already started closed", { timeout: 120_000 }, async () => {
    const opcuaPort = await freePort();
    const modbusPort = await freeRun(PLCS);
    const blocker = await occupy(modbusPort + 1);
    try {
      const run = simPlant(["--opcua-port", String(opcuaPort), "--modbus-port", String(modbusPort), "--data-dir", tmpDir()]);
      expect(await endsOnItsOwn(run)).toBe(2);
      expect(run.stderr()).toBe(`chaleur: --modbus-port: expected free ports ${modbusPort}–${modbusPort + PLCS - 1} (one per PLC) (port ${modbusPort + 1} is already in use; choose another with --modbus-port)\n`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    for (const p of [opcuaPort, modbusPort, modbusPort + 2]) expect(await portFree(p)).toBe(true);
  });

  it("a bad --speed is one line and exit code 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "sim-plant", "--model", MODEL, "--speed", "fast"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("chaleur: --speed: expected a number > 0 and ≤ 3600 (simulated seconds per second) (got 'fast')");
  });

  it("a --host that is not an address of this machine is one line naming --host, and exit code 2", { timeout: 120_000 }, async () => {
    // 203.0.113.0/24 is TEST-NET-3: documentation only, never a local address.
    const run = simPlant(["--host", "203.0.113.7", "--opcua-port", String(await freePort()), "--data-dir", tmpDir()]);
    expect(await endsOnItsOwn(run)).toBe(2);
    expect(run.stderr()).toBe("chaleur: --host: expected an IPv4 address or a host name of this machine, or 0.0.0.0 for every interface (got '203.0.113.7': EADDRNOTAVAIL)\n");
  });

  it("a --host that is an IPv6 literal is one line and exit code 2 (an endpoint URL cannot carry it)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "sim-plant", "--model", MODEL, "--host", "::1"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("chaleur: --host: expected an IPv4 address or a host name of this machine, or 0.0.0.0 for every interface (got '::1')");
  });
});

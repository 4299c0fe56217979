import { tcpOutcome } from "./test-helpers.ts";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { AttributeIds, LogLevel, OPCUAClient, setLogLevel, UserTokenType } from "node-opcua";
import { makeCertificateManager } from "./pki.ts";
import { startOpcuaServer, type OpcuaPlantServer } from "./server.ts";
import { tmpDataDir } from "./test-helpers.ts";

/**
 * Where the plant simulator's OPC UA server listens and what it says about itself: loopback unless told otherwise,
 * and one name for the server in the URL a person is given, the endpoints a client is sent (GetEndpoints), the
 * application URI (the plant namespace's URI) and the certificate.
 */

setLogLevel(LogLevel.Error);

const USER = { username: "operator", password: "listen-test" };
const MEASUREMENTS = [{ name: "dc.it_heat_kw", folder: ["DataCentre"], browseName: "ITHeat", unit: "kW", description: "IT heat", kind: "number" as const, min: 0, max: 5000 }];
const tmp = tmpDataDir("opcua-listen");
afterAll(() => tmp.remove());

/** An address of this machine other than loopback, if it has one: where a LAN client would connect. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((i) => i.family === "IPv4" && !i.internal)?.address;
const hasSs = spawnSync("ss", ["-V"]).status === 0;

/** The local addresses the system lists for sockets listening on the port. */
function listeningAddresses(port: number): string[] {
  const out = spawnSync("ss", ["-H", "-l", "-t", "-n", `sport = :${port}`], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).map((l) => l.trim().split(/\s+/)[3]!);
}

/** What any client is told by the server at `url`: its endpoint URLs, then (in a session) its namespaces. */
async function lookAt(url: string): Promise<{ endpointUrls: string[]; applicationUris: string[]; namespaces: string[] }> {
  const cm = makeCertificateManager(tmp.dir, "raw-client", { autoAccept: true, watchFiles: false });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  await client.connect(url);
  try {
    const endpoints = await client.getEndpoints();
    const session = await client.createSession({ type: UserTokenType.UserName, userName: USER.username, password: USER.password });
    try {
      const dv = await session.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value });
      return { endpointUrls: [...new Set(endpoints.map((e) => e.endpointUrl ?? ""))], applicationUris: [...new Set(endpoints.map((e) => e.server.applicationUri ?? ""))], namespaces: dv.value.value as string[] };
    } finally {
      await session.close();
    }
  } finally {
    await client.disconnect();
  }
}

async function withServer(host: string | undefined, dataDir: string, fn: (s: OpcuaPlantServer) => Promise<void>): Promise<void> {
  const s = await startOpcuaServer({ port: 0, ...(host !== undefined ? { host } : {}), dataDir, measurements: MEASUREMENTS, users: [USER], securityModes: ["None"] });
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

describe("OPC UA server: listening address and advertised name", () => {
  it("listens on loopback only by default, and names 127.0.0.1 in its URL, its endpoints, its namespace and its certificate", { timeout: 60_000 }, async () => {
    await withServer(undefined, `${tmp.dir}/loopback`, async (s) => {
      expect(s.host).toBe("127.0.0.1");
      expect(s.endpointUrl).toBe(`opc.tcp://127.0.0.1:${s.port}`);
      if (hasSs) expect(listeningAddresses(s.port)).toEqual([`127.0.0.1:${s.port}`]);
      if (lanAddress) expect(await tcpOutcome(lanAddress, s.port)).toBe("refused");
      expect(await tcpOutcome("127.0.0.1", s.port)).toBe("connected");
      const seen = await lookAt(s.endpointUrl);
      expect(seen.endpointUrls).toEqual([s.endpointUrl]);
      expect(seen.applicationUris).toEqual([s.applicationUri]);
      expect(s.applicationUri).toBe("urn:127.0.0.1:chaleur:plant-simulator");
      // the plant's nodes (ns=1) live in the namespace named by the application URI
      expect(seen.namespaces[1]).toBe(s.applicationUri);
      const cert = new X509Certificate(readFileSync(s.certificateFile));
      expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
      expect(cert.subjectAltName).toContain(`URI:${s.applicationUri}`);
    });
  });

  it("--host 0.0.0.0 listens on every interface and advertises this machine's name, the same everywhere", { timeout: 60_000 }, async () => {
    // First as the loopback server, in the same folder: the certificate it made must not serve the open one.
    await withServer(undefined, `${tmp.dir}/switch`, async (s) => expect(s.certificateRenewed).toBe(false));
    await withServer("0.0.0.0", `${tmp.dir}/switch`, async (s) => {
      // The same check that shows the loopback server unreachable from the LAN address shows this one reachable.
      if (hasSs) expect(listeningAddresses(s.port)).toEqual([`0.0.0.0:${s.port}`]);
      if (lanAddress) expect(await tcpOutcome(lanAddress, s.port)).toBe("connected");
      const host = new URL(s.endpointUrl.replace(/^opc\.tcp:/, "http:")).hostname;
      expect(host).not.toBe("0.0.0.0");
      expect(s.endpointUrl).toBe(`opc.tcp://${host}:${s.port}`);
      // Reached over loopback so as not to depend on this machine's name resolving here.
      const seen = await lookAt(`opc.tcp://127.0.0.1:${s.port}`);
      expect(seen.endpointUrls).toEqual([s.endpointUrl]);
      expect(s.applicationUri).toBe(`urn:${host}:chaleur:plant-simulator`);
      expect(seen.applicationUris).toEqual([s.applicationUri]);
      expect(seen.namespaces[1]).toBe(s.applicationUri);
      // The loopback server's certificate named another application URI: it was replaced by one naming this host.
      expect(s.certificateRenewed).toBe(true);
      const cert = new X509Certificate(readFileSync(s.certificateFile));
      expect(cert.checkHost(host)).toBe(host);
      expect(cert.subjectAltName).toContain(`URI:${s.applicationUri}`);
    });
  });

  it("refuses to advertise an IPv6 literal, which no client could parse back", async () => {
    await expect(startOpcuaServer({ port: 0, host: "::1", dataDir: `${tmp.dir}/server6`, measurements: MEASUREMENTS, users: [USER] })).rejects.toThrow("OPC UA server: cannot advertise the IPv6 address ::1 (use a host name, 0.0.0.0 or ::)");
  });

  it("a port already taken rejects with code EADDRINUSE and a message naming the port, and leaves nothing listening", { timeout: 60_000 }, async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startOpcuaServer({ port, dataDir: `${tmp.dir}/taken`, measurements: MEASUREMENTS, users: [USER] }).then(
        () => undefined,
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(err?.code).toBe("EADDRINUSE");
      expect(err?.message).toBe(`OPC UA server cannot listen on 127.0.0.1:${port}: port ${port} is already in use (EADDRINUSE)`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    if (hasSs) expect(listeningAddresses(port)).toEqual([]);
  });
});

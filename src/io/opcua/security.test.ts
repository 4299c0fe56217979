import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { LogLevel, setLogLevel } from "node-opcua";
import { simNodeId } from "../catalogue.ts";
import { createOpcuaMeasurementPort, type OpcuaClientConfig, type OpcuaMeasurementPort } from "./client.ts";
import { startOpcuaServer, type OpcuaPlantServer } from "./server.ts";
import { tmpDataDir, waitForSamples } from "./test-helpers.ts";

setLogLevel(LogLevel.Error);

const USER = { username: "operator", password: "correct horse battery staple" };
const MEASUREMENTS = [{ name: "dc.it_heat_kw", folder: ["DataCentre"], browseName: "ITHeat", unit: "kW", description: "IT heat", kind: "number" as const, min: 0, max: 5000 }];
const tmp = tmpDataDir("opcua-sec");
let server: OpcuaPlantServer;
const opened: OpcuaMeasurementPort[] = [];

/** A client with its own PKI folder (a distinct certificate) and SignAndEncrypt/Basic256Sha256 by default. */
function client(name: string, over: Partial<OpcuaClientConfig> = {}): OpcuaMeasurementPort {
  const p = createOpcuaMeasurementPort(
    {
      endpointUrl: server.endpointUrl,
      securityMode: "SignAndEncrypt",
      securityPolicy: "Basic256Sha256",
      ...USER,
      dataDir: `${tmp.dir}/${name}`,
      tags: [{ nodeId: simNodeId("dc.it_heat_kw"), measurement: "dc.it_heat_kw", min: 0, max: 5000, maxAgeS: 60 }],
      publishingIntervalMs: 50,
      ...over,
    },
    Date.now,
  );
  opened.push(p);
  return p;
}

beforeAll(async () => {
  server = await startOpcuaServer({ port: 0, dataDir: `${tmp.dir}/server`, measurements: MEASUREMENTS, users: [USER], securityModes: ["Sign", "SignAndEncrypt"] });
}, 30_000);

afterAll(async () => {
  for (const p of opened) await p.close();
  await server?.stop();
  tmp.remove();
});

describe("OPC UA security", () => {
  it("SignAndEncrypt + Basic256Sha256 + username works when each side trusts the other's certificate", async () => {
    const p = client("trusted", { trustedServerCertificates: [server.certificateFile] });
    await server.trustCertificate(await p.preparePki());
    await p.connect();
    server.update(new Map([["dc.it_heat_kw", { value: 1500, sourceMs: Date.now() }]]));
    const got = await waitForSamples(() => p.read(), (m) => m.get("dc.it_heat_kw")?.quality === "good");
    expect(got.get("dc.it_heat_kw")!.value).toBe(1500);
    // the same trusted pair also works signed only
    const signed = client("trusted", { securityMode: "Sign", trustedServerCertificates: [server.certificateFile] });
    await signed.connect();
    expect(signed.status().connected).toBe(true);
  });

  it("refuses a wrong password with a one-line message naming the user and the endpoint", async () => {
    const p = client("trusted", { password: "wrong", trustedServerCertificates: [server.certificateFile] });
    const url = server.endpointUrl.replace(/\./g, "\\.");
    await expect(p.connect()).rejects.toThrow(new RegExp(`^OPC UA: user 'operator' rejected by ${url}: BadUserAccessDenied$`));
    expect(p.status()).toMatchObject({ connected: false, lastError: expect.stringMatching(/BadUserAccessDenied/) });
  });

  it("refuses an anonymous session when the server allows none", async () => {
    const p = client("trusted", { username: undefined, password: undefined, trustedServerCertificates: [server.certificateFile] });
    await expect(p.connect()).rejects.toThrow(/^OPC UA: anonymous login rejected by opc\.tcp:\/\/127\.0\.0\.1:\d+: .*\(configure a username and password\)$/);
  });

  it("a client whose certificate the server does not trust is refused, and told which file to hand over", async () => {
    const p = client("stranger", { trustedServerCertificates: [server.certificateFile] });
    const err = await p.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^OPC UA: opc\.tcp:\/\/127\.0\.0\.1:\d+ does not trust chaleur's certificate \((BadSecurityChecksFailed|BadCertificateUntrusted)\): add \S+client_certificate\.pem to the server's trusted certificates$/);
    expect(err!.message).toContain(p.certificateFile);
    expect(existsSync(p.certificateFile)).toBe(true);
  });

  it("a server certificate the client does not trust is refused, and kept in rejected/ for review", async () => {
    const p = client("wary");
    await server.trustCertificate(await p.preparePki());
    const err = await p.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^OPC UA: server certificate of opc\.tcp:\/\/127\.0\.0\.1:\d+ is not trusted \(BadCertificateUntrusted\): after checking it, move it from \S+\/rejected to \S+\/trusted\S*$/);
    const rejected = `${tmp.dir}/wary/pki/rejected`;
    expect(readdirSync(rejected).length).toBe(1);
  });

  it("a configured server certificate file that does not exist fails connect() with its name", async () => {
    const p = client("trusted", { trustedServerCertificates: [`${tmp.dir}/missing-server.pem`] });
    await expect(p.connect()).rejects.toThrow(/^OPC UA: certificate store \S+: certificate file \S+missing-server\.pem not found$/);
  });

  it("auto-accept (demo mode) connects to an unknown server certificate", async () => {
    const p = client("demo", { autoAcceptServerCertificate: true });
    await server.trustCertificate(await p.preparePki());
    await p.connect();
    expect(p.status().connected).toBe(true);
  });
});

/**
 * Measures the OPC UA read paths over loopback (figures for DESIGN §7, not a test):
 *   node --import tsx bench/opcua-read.ts [iterations]
 * - port.read(): all tags from the subscription cache (what the control loop does every cycle);
 * - a direct OPC UA Read of every node id, unsecured and SignAndEncrypt/Basic256Sha256;
 * - update → visible in port.read() (publishing interval 50 ms and 250 ms);
 * - server stop → all comm_error, restart → all good.
 */
import { performance } from "node:perf_hooks";
import { AttributeIds, LogLevel, MessageSecurityMode, OPCUAClient, SecurityPolicy, setLogLevel, UserTokenType } from "node-opcua";
import { forecastCatalogue, simNodeId } from "../src/io/catalogue.ts";
import { createOpcuaMeasurementPort } from "../src/io/opcua/client.ts";
import { ensureOwnCertificate, makeCertificateManager } from "../src/io/opcua/pki.ts";
import { startOpcuaServer, type OpcuaPlantServer } from "../src/io/opcua/server.ts";
import { catalogueTags, parisCatalogue, plausibleValue, tmpDataDir, waitForSamples } from "../src/io/opcua/test-helpers.ts";

setLogLevel(LogLevel.Error);
const N = Number(process.argv[2] ?? 500);
const USER = { username: "bench", password: "bench-password" };
const specs = parisCatalogue();
const tmp = tmpDataDir("opcua-bench");

function stats(label: string, ms: number[]): void {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  console.log(`${label.padEnd(52)} n=${s.length}  p50 ${q(0.5).toFixed(3)} ms  p99 ${q(0.99).toFixed(3)} ms  max ${s[s.length - 1]!.toFixed(3)} ms`);
}

async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Polls every millisecond (waitForSamples polls every 20 ms, too coarse for latencies of tens of ms). */
async function until(pred: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!(await pred())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function directRead(server: OpcuaPlantServer, secure: boolean): Promise<number[]> {
  const cm = makeCertificateManager(tmp.dir, secure ? "direct-secure" : "direct", { autoAccept: true, watchFiles: false });
  const certificateFile = `${cm.rootDir}/own/certs/client_certificate.pem`;
  const applicationUri = "urn:chaleur:bench";
  await ensureOwnCertificate(cm, certificateFile, "bench", applicationUri);
  if (secure) await server.trustCertificate(certificateFile);
  const client = OPCUAClient.create({
    applicationName: "bench",
    applicationUri,
    certificateFile,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0 },
    clientCertificateManager: cm,
    securityMode: secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
  });
  await client.connect(server.endpointUrl);
  const session = await client.createSession({ type: UserTokenType.UserName, userName: USER.username, password: USER.password });
  const nodes = specs.map((s) => ({ nodeId: simNodeId(s.name), attributeId: AttributeIds.Value }));
  const ms = await timeIt(N, () => session.read(nodes));
  await session.close();
  await client.disconnect();
  return ms;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  let server = await startOpcuaServer({ port: 0, dataDir: `${tmp.dir}/server`, measurements: specs, forecasts: forecastCatalogue(), users: [USER] });
  console.log(`server start ${(performance.now() - t0).toFixed(0)} ms (incl. certificate creation)`);
  const update = (sourceMs: number, offset = 0) => server.update(new Map(specs.map((s, i) => [s.name, { value: plausibleValue(s, i + offset), sourceMs }])));
  update(Date.now());

  for (const publishingIntervalMs of [50, 250]) {
    const port = createOpcuaMeasurementPort(
      { endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs, 60), publishingIntervalMs, samplingIntervalMs: 0 },
      Date.now,
    );
    const tc = performance.now();
    await port.connect();
    console.log(`\npublishing ${publishingIntervalMs} ms: connect (channel + session + subscription + ${specs.length} items) ${(performance.now() - tc).toFixed(0)} ms`);
    await waitForSamples(() => port.read(), (m) => [...m.values()].every((s) => s.quality === "good"));
    if (publishingIntervalMs === 50) stats(`port.read() of ${specs.length} tags from the cache`, await timeIt(N, () => port.read()));
    // update → visible: alternate two value sets so every update is a change
    const lat: number[] = [];
    for (let i = 0; i < 40; i++) {
      const offset = i % 2 === 0 ? 1 : 0;
      const expected = plausibleValue(specs[0]!, offset) as number;
      // a random phase against the publishing cycle, as the plant's updates would have
      await new Promise((r) => setTimeout(r, Math.random() * publishingIntervalMs));
      const t = performance.now();
      update(Date.now(), offset);
      await until(async () => (await port.read()).get(specs[0]!.name)?.value === expected, 5000);
      lat.push(performance.now() - t);
    }
    stats(`server update → visible in port.read() (${publishingIntervalMs} ms)`, lat);
    await port.close();
  }

  stats(`direct OPC UA Read of ${specs.length} nodes, None`, await directRead(server, false));
  stats(`direct OPC UA Read of ${specs.length} nodes, SignAndEncrypt`, await directRead(server, true));

  const port = createOpcuaMeasurementPort(
    { endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs, 60), publishingIntervalMs: 250, reconnectMaxDelayMs: 5000 },
    Date.now,
  );
  await port.connect();
  await waitForSamples(() => port.read(), (m) => [...m.values()].every((s) => s.quality === "good"));
  const portNumber = server.port;
  const ts = performance.now();
  await server.stop();
  await until(async () => [...(await port.read()).values()].every((s) => s.quality === "comm_error"), 20_000);
  console.log(`\nserver stop → all comm_error: ${(performance.now() - ts).toFixed(0)} ms`);
  await new Promise((r) => setTimeout(r, 3000));
  const tr = performance.now();
  server = await startOpcuaServer({ port: portNumber, dataDir: `${tmp.dir}/server`, measurements: specs, forecasts: forecastCatalogue(), users: [USER] });
  update(Date.now());
  await until(async () => [...(await port.read()).values()].every((s) => s.quality === "good"), 30_000);
  console.log(`server restart (after 3 s down) → all good: ${(performance.now() - tr).toFixed(0)} ms (incl. server start)`);
  await port.close();
  await server.stop();
  tmp.remove();
}

await main();

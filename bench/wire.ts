/**
 * `npm run bench -- --only wire`: one I/O cycle as the daemon will run it, over loopback against `sim-plant`
 * (OPC UA SignAndEncrypt with a user, three Modbus PLCs): a direct OPC UA Read of every mapped node, a write of every
 * setpoint with read-back, and the heartbeats. p50/p99 over N cycles; target p99 ≤ 50 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttributeIds, LogLevel, MessageSecurityMode, OPCUAClient, SecurityPolicy, setLogLevel, UserTokenType } from "node-opcua";
import { loadModel } from "../src/config/plant-model.ts";
import { loadPlcMap } from "../src/config/plc-schema.ts";
import { loadWireConfig } from "../src/config/wire-config.ts";
import { startSimPlant } from "../src/sim/plant-server.ts";
import { modbusSetpointPort } from "../src/io/modbus/client.ts";
import { setpointRegisters } from "../src/io/modbus/setpoint-registers.ts";
import { ensureOwnCertificate, makeCertificateManager } from "../src/io/opcua/pki.ts";
import { percentile } from "./stats.ts";

export async function benchWire(cycles: number): Promise<boolean> {
  setLogLevel(LogLevel.Error);
  const dir = mkdtempSync(join(tmpdir(), "chaleur-bench-wire-"));
  const user = { username: "chaleur", password: "bench" };
  const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(`plc/${n}.yaml`));
  const wire = loadWireConfig("config/chaleur-demo.yaml");
  const plant = await startSimPlant({ model: loadModel("models/paris-chapelle.yaml"), plcMaps: maps, opcuaPort: 0, modbusPort: 0, speed: 1, dataDir: join(dir, "plant"), users: [user], autoAcceptCertificates: false, tickMs: 250 });
  const cm = makeCertificateManager(join(dir, "chaleur"), "chaleur", { autoAccept: true, watchFiles: false });
  const certificateFile = `${cm.rootDir}/own/certs/client_certificate.pem`;
  await ensureOwnCertificate(cm, certificateFile, "chaleur", "urn:chaleur:bench");
  await plant.opcua.trustCertificate(certificateFile);
  const client = OPCUAClient.create({
    applicationName: "chaleur",
    applicationUri: "urn:chaleur:bench",
    certificateFile,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0 },
    clientCertificateManager: cm,
    securityMode: MessageSecurityMode.SignAndEncrypt,
    securityPolicy: SecurityPolicy.Basic256Sha256,
  });
  await client.connect(plant.opcua.endpointUrl);
  const session = await client.createSession({ type: UserTokenType.UserName, userName: user.username, password: user.password });
  const nodes = wire.opcua.tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value }));
  const modbus = modbusSetpointPort(maps.map((map, k) => ({ map, host: "127.0.0.1", port: plant.plcs[k]!.server.port })));
  const readMs: number[] = [];
  const writeMs: number[] = [];
  const cycleMs: number[] = [];
  let failures = 0;
  for (let i = 0; i < cycles + 20; i++) {
    const sp = { hps: [{ id: "hp1", on: true, heatKw: 300 + (i % 50) }, { id: "hp2", on: i % 2 === 0, heatKw: 250 }], dhSoldKw: 500 + i, ghDirectKw: 40, ghBoostKw: 10 };
    const t0 = performance.now();
    const values = await session.read(nodes);
    const t1 = performance.now();
    const reports = await modbus.write(setpointRegisters(sp, "optimal"));
    await modbus.heartbeat();
    const t2 = performance.now();
    if (values.some((v) => !v.statusCode.isGood()) || reports.some((r) => !r.ok)) failures++;
    if (i >= 20) {
      readMs.push(t1 - t0);
      writeMs.push(t2 - t1);
      cycleMs.push(t2 - t0);
    }
  }
  await session.close();
  await client.disconnect();
  await modbus.close();
  await plant.stop();
  rmSync(dir, { recursive: true, force: true });
  const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;
  const ok = percentile(cycleMs, 99) <= 50 && failures === 0;
  console.log(`wire: one I/O cycle against sim-plant over loopback (${nodes.length} OPC UA nodes read, SignAndEncrypt; every setpoint of 3 PLCs written with read-back; heartbeats), p99 ≤ 50 ms`);
  console.log(`  cycle: ${f(cycleMs)} (n=${cycleMs.length}, ${failures} failed cycles) ${ok ? "OK" : "OVER TARGET"}`);
  console.log(`  OPC UA read: ${f(readMs)}; Modbus write + read-back + heartbeat: ${f(writeMs)}`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await benchWire(Number(process.argv[2] ?? 500))) ? 0 : 1;

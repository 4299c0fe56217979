import { resolve } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import { InputError } from "../config/errors.ts";
import { loadModel } from "../config/plant-model.ts";
import { loadPlcMap } from "../config/plc-schema.ts";
import { startSimPlant } from "../sim/plant-server.ts";

export interface SimPlantCliOptions {
  model: string;
  opcuaPort: string;
  modbusPort: string;
  speed: string;
  plc: string[];
  dataDir: string;
  user: string;
  autoAccept: boolean;
  logEveryS: string;
}

function port(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError(`--${name}`, "", "a TCP port 0–65535", `got '${v}'`);
  return n;
}

/** Runs the plant simulator until SIGINT/SIGTERM; prints where it listens and, every minute, what the plant does. */
export async function runSimPlant(o: SimPlantCliOptions): Promise<void> {
  const speed = Number(o.speed);
  if (!(speed > 0 && speed <= 3600)) throw new InputError("--speed", "", "a number > 0 and ≤ 3600 (simulated seconds per second)", `got '${o.speed}'`);
  // node-opcua's warnings include a Node 20 notice about RSA PKCS#1 v1.5 decryption, which only Basic128Rsa15 uses
  // (not offered here); errors still print.
  setLogLevel(LogLevel.Error);
  const model = loadModel(o.model);
  const maps = o.plc.map((f) => loadPlcMap(f));
  let password = process.env.CHALEUR_OPCUA_PASSWORD;
  if (!password) {
    password = "demo";
    console.log(`sim-plant: CHALEUR_OPCUA_PASSWORD is not set; OPC UA user '${o.user}' has the demo password 'demo'`);
  }
  const plant = await startSimPlant({
    model,
    plcMaps: maps,
    opcuaPort: port("opcua-port", o.opcuaPort),
    modbusPort: port("modbus-port", o.modbusPort),
    speed,
    dataDir: resolve(o.dataDir),
    users: [{ username: o.user, password }],
    autoAcceptCertificates: o.autoAccept,
  });
  console.log(`sim-plant: ${model.name}, ${speed}× real time`);
  console.log(`  OPC UA  ${plant.opcua.endpointUrl} (None, Sign, SignAndEncrypt Basic256Sha256; user '${o.user}')`);
  console.log(`  certificates under ${resolve(o.dataDir)}; client certificates ${o.autoAccept ? "accepted on first sight (demo)" : "must be in the trusted folder"}`);
  for (const p of plant.plcs) console.log(`  Modbus  ${p.map.plc}: 127.0.0.1:${p.server.port} unit ${p.map.unitId}, watchdog ${p.map.watchdogS} s`);
  const logEveryMs = Number(o.logEveryS) * 1000;
  const logger = setInterval(() => {
    const v = plant.live.measurements();
    const num = (k: string) => Number(v.get(k)?.value ?? Number.NaN).toFixed(0);
    const hps = model.heatPumps.map((h) => `${h.id} ${num(`${h.id}.heat_kw`)} kW`).join(", ");
    const plcs = plant.plcs.map((p) => `${p.map.plc} ${p.logic.inSafeMode() ? "SAFE" : "remote"}`).join(", ");
    console.log(`${new Date(plant.live.simMs).toISOString()}  IT ${num("dc.it_heat_kw")} kW, ${hps}, sold ${num("dh.sold_kw")} kW, dumped ${num("dump.heat_kw")} kW; ${plcs}`);
  }, logEveryMs > 0 ? logEveryMs : 60_000);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  clearInterval(logger);
  await plant.stop();
  console.log("sim-plant: stopped");
}

import { isIP } from "node:net";
import { resolve } from "node:path";
import { LogLevel, setLogLevel } from "node-opcua";
import { prepareOutputDir } from "./output-path.ts";
import { InputError } from "../config/errors.ts";
import { loadModel } from "../config/plant-model.ts";
import { loadPlcMap } from "../config/plc-schema.ts";
import { SimPlantListenError, startSimPlant, type SimPlant, type SimPlantOptions } from "../sim/plant-server.ts";

export interface SimPlantCliOptions {
  model: string;
  opcuaPort: string;
  modbusPort: string;
  host: string;
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

const EVERY_INTERFACE = new Set(["0.0.0.0", "::"]);

function host(v: string): string {
  // An OPC UA endpoint URL names the host as given, and no client parses "opc.tcp://::1:4840" back.
  if (v === "" || /\s/.test(v) || (isIP(v) === 6 && !EVERY_INTERFACE.has(v))) {
    throw new InputError("--host", "", "an IPv4 address or a host name of this machine, or 0.0.0.0 for every interface", `got '${v}'`);
  }
  return v;
}

/** A server that cannot listen, as one line naming the option to change. */
export function listenProblem(e: SimPlantListenError, plcCount: number, modbusPort: number): InputError {
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") {
    return new InputError("--host", "", "an IPv4 address or a host name of this machine, or 0.0.0.0 for every interface", `got '${e.host}': ${e.code}`);
  }
  const option = e.server === "opcua" ? "--opcua-port" : "--modbus-port";
  const expected = e.server === "modbus" && plcCount > 1 && modbusPort > 0 ? `free ports ${modbusPort}–${modbusPort + plcCount - 1} (one per PLC)` : "a free port";
  if (e.code === "EACCES") return new InputError(option, "", "a port this user may listen on", `port ${e.port} needs privileges; choose one from 1024 up with ${option}`);
  return new InputError(option, "", expected, `port ${e.port} is already in use; choose another with ${option}`);
}

/** Runs the plant simulator until SIGINT/SIGTERM; prints where it listens and, every minute, what the plant does. */
export async function runSimPlant(o: SimPlantCliOptions): Promise<void> {
  const speed = Number(o.speed);
  if (!(speed > 0 && speed <= 3600)) throw new InputError("--speed", "", "a number > 0 and ≤ 3600 (simulated seconds per second)", `got '${o.speed}'`);
  const opcuaPort = port("opcua-port", o.opcuaPort);
  const modbusPort = port("modbus-port", o.modbusPort);
  const listenHost = host(o.host);
  // node-opcua's warnings include a Node 20 notice about RSA PKCS#1 v1.5 decryption, which only Basic128Rsa15 uses
  // (not offered here); errors still print.
  setLogLevel(LogLevel.Error);
  const model = loadModel(o.model);
  const maps = o.plc.map((f) => loadPlcMap(f));
  if (modbusPort !== 0 && modbusPort + maps.length - 1 > 65535) {
    throw new InputError("--modbus-port", "", `a TCP port ≤ ${65536 - maps.length} (one port per PLC from it, ${maps.length} PLCs)`, `got '${o.modbusPort}'`);
  }
  let password = process.env.CHALEUR_OPCUA_PASSWORD;
  if (!password) {
    password = "demo";
    console.log(`sim-plant: CHALEUR_OPCUA_PASSWORD is not set; OPC UA user '${o.user}' has the demo password 'demo'`);
  }
  const options: SimPlantOptions = {
    model,
    plcMaps: maps,
    opcuaPort,
    modbusPort,
    host: listenHost,
    speed,
    dataDir: prepareOutputDir("--data-dir", o.dataDir),
    users: [{ username: o.user, password }],
    autoAcceptCertificates: o.autoAccept,
  };
  let plant: SimPlant;
  try {
    plant = await startSimPlant(options);
  } catch (e) {
    // startSimPlant has closed whatever it had opened: the process can end as soon as this is reported.
    if (e instanceof SimPlantListenError) throw listenProblem(e, maps.length, modbusPort);
    throw e;
  }
  console.log(`sim-plant: ${model.name}, ${speed}× real time`);
  console.log(`  OPC UA  ${plant.opcua.endpointUrl} (None, Sign, SignAndEncrypt Basic256Sha256; user '${o.user}')`);
  console.log(`  certificates under ${resolve(o.dataDir)}; client certificates ${o.autoAccept ? "accepted on first sight (demo)" : "must be in the trusted folder"}`);
  if (plant.opcua.certificateRenewed) console.log(`  server certificate renewed for ${plant.opcua.endpointUrl}: clients that trusted the previous one must trust ${plant.opcua.certificateFile}`);
  for (const p of plant.plcs) console.log(`  Modbus  ${p.map.plc}: ${listenHost}:${p.server.port} unit ${p.map.unitId}, watchdog ${p.map.watchdogS} s`);
  if (EVERY_INTERFACE.has(listenHost)) console.log(`  listening on every interface (--host ${listenHost}): anyone on the network can reach the plant`);
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

import type { PlantModel } from "../config/plant-model.ts";
import type { PlcMap } from "../config/plc-schema.ts";
import { forecastCatalogue, measurementCatalogue } from "../io/catalogue.ts";
import { feedbackRegisterName, setpointsFromRegisters } from "./plc-setpoints.ts";
import { startOpcuaServer, type OpcuaPlantServer, type MeasurementUpdate } from "../io/opcua/server.ts";
import { PlcLogic } from "../io/modbus/plc-logic.ts";
import { startPlcServer, type PlcServer } from "../io/modbus/server.ts";
import { createLivePlant, liveScenario, type LivePlant } from "./live-plant.ts";

/**
 * `chaleur sim-plant`: the offline plant's physics in (accelerated) real time behind the protocols of the real plant:
 * an OPC UA server with the measurements and forecasts, and one Modbus TCP server per PLC whose effective setpoints
 * (after the PLC's clamps and watchdog) drive the physics. Every tick: PLC setpoints → physics → OPC UA + feedback.
 */
export interface SimPlantOptions {
  model: PlantModel;
  plcMaps: PlcMap[];
  opcuaPort: number;
  /** PLC k listens on modbusPort + k (0: free ports). */
  modbusPort: number;
  /** Simulated seconds per wall second. */
  speed: number;
  dataDir: string;
  users: { username: string; password: string }[];
  autoAcceptCertificates: boolean;
  /** Address both protocols listen on (default 127.0.0.1; "0.0.0.0" opens them to the network). */
  host?: string;
  tickMs?: number;
  seed?: number;
  /** Wall clock (ms), injectable for tests; the PLC watchdogs run on it too, as real PLCs run on their own time. */
  clock?: () => number;
  /** Simulated start time (default: the wall clock's current minute). */
  simStartMs?: number;
  /**
   * What the OPC UA source timestamps carry: "wall" (default), the instant the value was produced, as on a plant;
   * "plant", the simulated time, for a client that runs on the plant's clock (the accelerated demo).
   */
  sourceTime?: "wall" | "plant";
}

export interface SimPlant {
  opcua: OpcuaPlantServer;
  plcs: { map: PlcMap; logic: PlcLogic; server: PlcServer }[];
  live: LivePlant;
  /** The plant's time now (simulated ms): the clock a daemon on this plant runs on. */
  plantNowMs(): number;
  /** One cycle now (the timer calls it every tickMs). */
  tick(): void;
  stop(): Promise<void>;
}

/** One of the plant's servers could not listen; `code` is the system's, so the CLI can name the option to change. */
export class SimPlantListenError extends Error {
  constructor(
    readonly server: "opcua" | "modbus",
    readonly host: string,
    readonly port: number,
    readonly code: string,
    /** The PLC whose Modbus server it was. */
    readonly plc: string | undefined,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = "SimPlantListenError";
  }
}

const LISTEN_CODES = /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL|ENOTFOUND)\b/;

/** A listen failure becomes a SimPlantListenError; anything else passes unchanged. */
function asListenError(e: unknown, server: "opcua" | "modbus", host: string, port: number, plc?: string): unknown {
  if (!(e instanceof Error)) return e;
  // The code property when the server sets one, else the code in the message (as node:net words it).
  const err = e as Error & { code?: unknown; port?: unknown };
  const code = typeof err.code === "string" && LISTEN_CODES.test(err.code) ? err.code : LISTEN_CODES.exec(e.message)?.[1];
  if (code === undefined) return e;
  return new SimPlantListenError(server, host, typeof err.port === "number" && err.port > 0 ? err.port : port, code, plc, e);
}

const FORECAST_HOURS = 48;
/** Most simulated time one tick may replay (ms). */
const MAX_CATCH_UP_MS = 3_600_000;
/** Days of weather and prices generated at a time; the plant rolls over to a fresh window when it reaches the end. */
const WINDOW_DAYS = 30;

export async function startSimPlant(o: SimPlantOptions): Promise<SimPlant> {
  const clock = o.clock ?? Date.now;
  const simStartMs = o.simStartMs ?? Math.floor(clock() / 60_000) * 60_000;
  const seed = o.seed ?? 1;
  let live = createLivePlant(liveScenario(o.model, simStartMs, WINDOW_DAYS, seed));
  let windowEndMs = simStartMs + WINDOW_DAYS * 86_400_000;
  const catalogue = measurementCatalogue(o.model);
  const host = o.host ?? "127.0.0.1";
  let opcua: OpcuaPlantServer;
  try {
    opcua = await startOpcuaServer({
      port: o.opcuaPort,
      host,
      dataDir: o.dataDir,
      measurements: catalogue,
      forecasts: forecastCatalogue(),
      users: o.users,
      autoAcceptCertificates: o.autoAcceptCertificates,
    });
  } catch (e) {
    throw asListenError(e, "opcua", host, o.opcuaPort);
  }
  const plcs: SimPlant["plcs"] = [];
  try {
    for (const [k, map] of o.plcMaps.entries()) {
      const logic = new PlcLogic(map, clock);
      const port = o.modbusPort === 0 ? 0 : o.modbusPort + k;
      try {
        plcs.push({ map, logic, server: await startPlcServer({ map, logic, host, port }) });
      } catch (e) {
        throw asListenError(e, "modbus", host, port, map.plc);
      }
    }
  } catch (e) {
    // Every server already listening is closed, so that a failed start leaves nothing behind.
    await Promise.all(plcs.map((p) => p.server.close()));
    await opcua.stop();
    throw e;
  }
  const measurementOf = new Map(catalogue.map((c) => [feedbackRegisterName(c.name), c.name]));
  const feedback = plcs.map((p) => p.map.registers.filter((r) => r.access === "r" && r.name !== "status").map((r) => r.name));
  let dhEnergyKwh = 0;
  let lastForecastWallMs = -Infinity;

  function tick(): void {
    const wallMs = clock();
    let targetMs = anchorSimMs + (wallMs - anchorWallMs) * o.speed;
    if (targetMs - live.simMs > MAX_CATCH_UP_MS) {
      // After a suspend or a stall, do not block the event loop replaying hours of physics: the plant resumes from
      // where it was, and simulated time slips by the gap.
      targetMs = live.simMs + MAX_CATCH_UP_MS;
      anchorSimMs = targetMs;
      anchorWallMs = wallMs;
    }
    if (targetMs >= windowEndMs - FORECAST_HOURS * 3_600_000) {
      // Roll the weather window forward, keeping the plant's state: a new window starts where this one is.
      live = createLivePlant(liveScenario(o.model, live.simMs, WINDOW_DAYS, seed), undefined, live.snapshot());
      windowEndMs = live.simMs + WINDOW_DAYS * 86_400_000;
    }
    const regs: Record<string, number> = {};
    for (const p of plcs) Object.assign(regs, p.logic.effective());
    const beforeMs = live.simMs;
    live.advanceTo(targetMs, setpointsFromRegisters(o.model, regs));
    const values = live.measurements();
    dhEnergyKwh += (Number(values.get("dh.sold_kw")?.value ?? 0) * (live.simMs - beforeMs)) / 3_600_000;
    // Source timestamps: the instant the value was produced, on the clock the client ages it against.
    const sourceMs = o.sourceTime === "plant" ? targetMs : wallMs;
    const updates = new Map<string, MeasurementUpdate>();
    for (const [name, v] of values) updates.set(name, { value: v.value, sourceMs });
    opcua.update(updates);
    plcs.forEach((p, k) => {
      for (const name of feedback[k]!) {
        const measurement = name === "dh_energy_kwh" ? dhEnergyKwh : values.get(measurementOf.get(name) ?? "")?.value;
        if (measurement !== undefined) p.logic.setFeedback(name, Number(measurement));
      }
    });
    if (wallMs - lastForecastWallMs >= 60_000) {
      opcua.updateForecasts(live.forecasts(FORECAST_HOURS));
      lastForecastWallMs = wallMs;
    }
  }

  // Simulated time starts once the servers are up (their start-up takes seconds, which --speed would multiply).
  let anchorWallMs = clock();
  let anchorSimMs = simStartMs;
  tick();
  let lastError = "";
  const timer = setInterval(() => {
    // A simulator that throws must say so, not die or go silent: it keeps serving and reports each new error once.
    try {
      tick();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (msg !== lastError) process.stderr.write(`sim-plant: tick failed: ${msg}\n`);
      lastError = msg;
    }
  }, o.tickMs ?? 250);
  return {
    opcua,
    plcs,
    get live() {
      return live;
    },
    plantNowMs: () => anchorSimMs + (clock() - anchorWallMs) * o.speed,
    tick,
    async stop() {
      clearInterval(timer);
      await Promise.all(plcs.map((p) => p.server.close()));
      await opcua.stop();
    },
  };
}

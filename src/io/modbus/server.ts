import { freePort } from "../free-port.ts";
import { ServerTCP } from "modbus-serial";
import type { PlcMap } from "../../config/plc-schema.ts";
import type { PlcLogic } from "./plc-logic.ts";

export interface PlcServerOptions {
  map: PlcMap;
  logic: PlcLogic;
  /** Default 127.0.0.1: the simulator's PLCs are for this machine unless asked otherwise. */
  host?: string;
  /** 0 picks a free port (see PlcServer.port for the one chosen). */
  port: number;
}

export interface PlcServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves one PLC's four tables over Modbus TCP from a PlcLogic (the plant simulator's PLCs, and the tests').
 * Requests for another unit id get no answer (modbus-serial drops them), as a gateway without that unit would.
 *
 * The vector functions are synchronous with exactly (addr, [length | value,] unitID) parameters: modbus-serial
 * picks callback style when a function declares one more parameter, so no defaults or extras here. A thrown
 * ModbusException carries `modbusErrorCode`, which the library sends back as the exception response.
 * FC15 reaches setCoil once per coil (the library's setCoilArray path is broken in 8.0.25), so a multi-coil
 * write that hits a bad address can be applied in part; chaleur's client writes coils it knows are mapped.
 */
export async function startPlcServer(opts: PlcServerOptions): Promise<PlcServer> {
  if (opts.port !== 0) return listen(opts, opts.port);
  // ServerTCP reads port 0 as "the default, 502", so ask the OS for a free port first. Another process could
  // take it in between; try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(opts, await freePort(opts.host ?? "127.0.0.1"));
    } catch (e) {
      if (attempt >= 5 || !(e instanceof Error && /EADDRINUSE/.test(e.message))) throw e;
    }
  }
}

function listen(opts: PlcServerOptions, port: number): Promise<PlcServer> {
  const { logic } = opts;
  const vector = {
    getHoldingRegister: (addr: number, _unitId: number): number => logic.readWords("holding", addr, 1)[0]!,
    getMultipleHoldingRegisters: (addr: number, length: number, _unitId: number): number[] => logic.readWords("holding", addr, length),
    getInputRegister: (addr: number, _unitId: number): number => logic.readWords("input", addr, 1)[0]!,
    getMultipleInputRegisters: (addr: number, length: number, _unitId: number): number[] => logic.readWords("input", addr, length),
    getCoil: (addr: number, _unitId: number): boolean => logic.readBits("coil", addr, 1)[0] === 1,
    getDiscreteInput: (addr: number, _unitId: number): boolean => logic.readBits("discrete", addr, 1)[0] === 1,
    setRegister: (addr: number, value: number, _unitId: number): void => logic.writeWords(addr, [value]),
    setRegisterArray: (addr: number, values: number[], _unitId: number): void => logic.writeWords(addr, values),
    setCoil: (addr: number, value: boolean, _unitId: number): void => logic.writeBits(addr, [value ? 1 : 0]),
  };
  const server = new ServerTCP(vector, { host: opts.host ?? "127.0.0.1", port, unitID: opts.map.unitId });
  return new Promise((resolve, reject) => {
    server.on("serverError", (e: Error | null) => reject(new Error(`PLC '${opts.map.plc}' cannot listen on ${opts.host ?? "127.0.0.1"}:${port}: ${e?.message ?? "unknown error"}`)));
    // A client that resets its connection is normal life for a PLC, not an error to crash on.
    server.on("socketError", () => undefined);
    server.on("error", () => undefined);
    server.on("initialized", () => {
      let closed: Promise<void> | null = null;
      resolve({
        port,
        close: () => (closed ??= new Promise<void>((done) => server.close(() => done()))),
      });
    });
  });
}

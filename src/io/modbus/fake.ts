import type { PlcMap, RegisterFunction } from "../../config/plc-schema.ts";
import { ModbusException } from "./exceptions.ts";
import { PlcLogic, type Clock } from "./plc-logic.ts";
import { PlcSetpointPort } from "./port.ts";
import { PlcSession } from "./session.ts";
import { CommError, DeviceRefusal, describeRange, type RegisterTransport } from "./transport.ts";

/**
 * A PLC without a socket: the transport talks to a PlcLogic directly, so core tests get the real encode, clamp,
 * read-back and watchdog behaviour in microseconds. `offline` makes it fail like an unplugged cable.
 */
export class LogicTransport implements RegisterTransport {
  readonly where: string;
  readonly logic: PlcLogic;
  offline = false;
  /** Requests served, for tests that count traffic. */
  requests = 0;

  constructor(logic: PlcLogic) {
    this.logic = logic;
    this.where = `in-memory ${logic.map.plc}`;
  }

  private serve<T>(doing: string, op: () => T): Promise<T> {
    if (this.offline) return Promise.reject(new CommError(`no answer ${doing} (fake PLC offline)`));
    this.requests++;
    try {
      return Promise.resolve(op());
    } catch (e) {
      if (e instanceof ModbusException) return Promise.reject(new DeviceRefusal(e.modbusErrorCode, `${e.message} (${doing})`));
      return Promise.reject(e);
    }
  }

  read(fn: RegisterFunction, address: number, count: number): Promise<number[]> {
    return this.serve(`reading ${describeRange(fn, address, count)}`, () => (fn === "holding" || fn === "input" ? this.logic.readWords(fn, address, count) : this.logic.readBits(fn, address, count)));
  }

  write(fn: "holding" | "coil", address: number, words: readonly number[]): Promise<void> {
    return this.serve(`writing ${describeRange(fn, address, words.length)}`, () => (fn === "holding" ? this.logic.writeWords(address, words) : this.logic.writeBits(address, words)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface FakePlcs {
  port: PlcSetpointPort;
  /** Each PLC's logic by PLC name: what the plant would act on, status, feedback injection. */
  logic: Map<string, PlcLogic>;
  transports: Map<string, LogicTransport>;
}

/** A SetpointPort over in-memory PLCs, one per map, all on the given clock. */
export function fakeSetpointPort(maps: readonly PlcMap[], clock: Clock): FakePlcs {
  const logic = new Map<string, PlcLogic>();
  const transports = new Map<string, LogicTransport>();
  const sessions = maps.map((m) => {
    const l = new PlcLogic(m, clock);
    const t = new LogicTransport(l);
    logic.set(m.plc, l);
    transports.set(m.plc, t);
    // The sessions time the age of their last write on the PLCs' clock, so simulated time is one time for both.
    return new PlcSession(m, t, clock);
  });
  return { port: new PlcSetpointPort(sessions, clock), logic, transports };
}

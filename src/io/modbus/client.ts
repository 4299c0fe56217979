import ModbusRTU from "modbus-serial";
import type { PlcMap, RegisterFunction } from "../../config/plc-schema.ts";
import { exceptionName } from "./exceptions.ts";
import { PlcSetpointPort } from "./port.ts";
import { PlcSession } from "./session.ts";
import { closedError, CommError, DeviceRefusal, describeRange, type RegisterTransport } from "./transport.ts";

/** One PLC on the network: its register map and where it listens. */
export interface PlcEndpoint {
  map: PlcMap;
  host: string;
  port: number;
  /** Defaults to the map's unit_id. */
  unitId?: number;
}

export interface ModbusClientOptions {
  /** Per request and per connection attempt. Default 1000 ms. */
  timeoutMs?: number;
  /** Wait after the first failure before reconnecting; doubles per further failure up to backoffMaxMs. Default 2000 ms. */
  backoffMinMs?: number;
  /** Default 30 s, the PLCs' watchdog: a PLC that comes back is picked up again within about one watchdog period. */
  backoffMaxMs?: number;
  /**
   * Clock (ms) for the backoff and for the age of the last write (PlcSession): performance.now() by default, a
   * monotonic clock, so stepping the wall clock cannot stall reconnects. When given (tests, a simulated plant),
   * readRegisters also stamps its samples with it; they get Date.now otherwise.
   */
  nowMs?: () => number;
}

const DEFAULTS = { timeoutMs: 1000, backoffMinMs: 2000, backoffMaxMs: 30_000 };

/** Rejects after `ms` unless the promise settles first; the timer never outlives the race. */
function within<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommError(what())), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function describeError(e: unknown): string {
  const err = e as { code?: string; errno?: string; message?: string };
  const code = err.code ?? err.errno;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "EPIPE") return "connection lost";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "host unreachable";
  if (code === "ETIMEDOUT") return "timed out";
  return err.message || String(code ?? e);
}

/**
 * Modbus TCP to one PLC (modbus-serial), with a timeout on every request and reconnect-with-backoff: after a
 * failure the next call reconnects, but not sooner than the backoff allows, so a dead PLC costs one quick error
 * per cycle instead of a timeout per cycle. A Modbus exception is an answer, not a failure: no reconnect.
 */
export class ModbusTcpTransport implements RegisterTransport {
  readonly where: string;
  private readonly host: string;
  private readonly port: number;
  private readonly unitId: number;
  private readonly opts: typeof DEFAULTS;
  private readonly nowMs: () => number;
  private client: ModbusRTU | null = null;
  private failures = 0;
  private retryAtMs = 0;
  private lastError = "";
  private closed = false;

  constructor(host: string, port: number, unitId: number, options: ModbusClientOptions = {}) {
    this.host = host;
    this.port = port;
    this.unitId = unitId;
    this.where = `${host}:${port} unit ${unitId}`;
    this.opts = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      backoffMinMs: options.backoffMinMs ?? DEFAULTS.backoffMinMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
    };
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  private drop(): void {
    const c = this.client;
    this.client = null;
    if (c) c.destroy(() => undefined);
  }

  private failed(e: unknown, doing: string): CommError {
    this.drop();
    this.failures++;
    const waitMs = Math.min(this.opts.backoffMaxMs, this.opts.backoffMinMs * 2 ** (this.failures - 1));
    this.retryAtMs = this.nowMs() + waitMs;
    this.lastError = e instanceof CommError ? e.message : `${describeError(e)} ${doing}`;
    return e instanceof CommError ? e : new CommError(this.lastError);
  }

  /**
   * Time left before the next connection attempt may be made; 0 when due. No backoff is ever longer than
   * backoffMaxMs, so a retry time further ahead than that can only come from a clock that stepped back (or
   * an injected clock that was swapped): it is ignored rather than waited out.
   */
  private backoffLeftMs(now: number): number {
    const leftMs = this.retryAtMs - now;
    return leftMs > 0 && leftMs <= this.opts.backoffMaxMs ? leftMs : 0;
  }

  private async connected(): Promise<ModbusRTU> {
    if (this.closed) throw closedError();
    if (this.client?.isOpen) return this.client;
    this.drop();
    const leftMs = this.backoffLeftMs(this.nowMs());
    if (leftMs > 0) {
      throw new CommError(`not connected after ${this.failures} failure${this.failures > 1 ? "s" : ""} (last: ${this.lastError}); next attempt in ${(leftMs / 1000).toFixed(1)} s`);
    }
    const c = new ModbusRTU();
    // Without a listener an 'error' event (a reset socket) would crash the process.
    c.on("error", () => undefined);
    c.setID(this.unitId);
    c.setTimeout(this.opts.timeoutMs);
    this.client = c;
    try {
      await within(c.connectTCP(this.host, { port: this.port }), this.opts.timeoutMs, () => `no connection within ${this.opts.timeoutMs} ms`);
    } catch (e) {
      throw this.closed ? closedError() : this.failed(e, "while connecting");
    }
    // close() while connecting has already destroyed this client (it was this.client): do not use it.
    if (this.closed) throw closedError();
    return c;
  }

  /** Runs one request; classifies what went wrong. */
  private async request<T>(doing: string, op: (c: ModbusRTU) => Promise<T>): Promise<T> {
    const c = await this.connected();
    try {
      // modbus-serial has its own timeout; ours is the backstop if a callback never comes.
      const r = await within(op(c), this.opts.timeoutMs + 100, () => `no answer within ${this.opts.timeoutMs} ms ${doing}`);
      this.failures = 0;
      return r;
    } catch (e) {
      const code = (e as { modbusCode?: unknown }).modbusCode;
      if (typeof code === "number") {
        this.failures = 0;
        throw new DeviceRefusal(code, `Modbus exception ${code} ${exceptionName(code)} ${doing}`);
      }
      const timedOut = (e as { name?: string }).name === "TransactionTimedOutError";
      throw this.failed(timedOut ? new CommError(`no answer within ${this.opts.timeoutMs} ms ${doing}`) : e, doing);
    }
  }

  async read(fn: RegisterFunction, address: number, count: number): Promise<number[]> {
    const doing = `reading ${describeRange(fn, address, count)}`;
    return this.request(doing, async (c) => {
      switch (fn) {
        case "holding":
          return (await c.readHoldingRegisters(address, count)).data;
        case "input":
          return (await c.readInputRegisters(address, count)).data;
        case "coil":
          return (await c.readCoils(address, count)).data.slice(0, count).map((b) => (b ? 1 : 0));
        case "discrete":
          return (await c.readDiscreteInputs(address, count)).data.slice(0, count).map((b) => (b ? 1 : 0));
      }
    });
  }

  async write(fn: "holding" | "coil", address: number, words: readonly number[]): Promise<void> {
    const doing = `writing ${describeRange(fn, address, words.length)}`;
    await this.request(doing, async (c) => {
      if (fn === "holding") await c.writeRegisters(address, [...words]);
      else if (words.length === 1) await c.writeCoil(address, words[0] === 1);
      else await c.writeCoils(address, words.map((w) => w === 1));
    });
  }

  /**
   * For good: later requests fail with "closed" instead of reconnecting. Destroys rather than ends the socket:
   * a graceful close would wait forever on a PLC that has gone away.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.drop();
  }
}

/**
 * chaleur's SetpointPort over Modbus TCP: one connection per PLC endpoint. Connections open lazily on the first
 * call, so a PLC that is down at start-up is reported in the first WriteReport rather than blocking start-up.
 */
export function modbusSetpointPort(endpoints: readonly PlcEndpoint[], options: ModbusClientOptions = {}): PlcSetpointPort {
  const sessions = endpoints.map((e) => new PlcSession(e.map, new ModbusTcpTransport(e.host, e.port, e.unitId ?? e.map.unitId, options), options.nowMs));
  return new PlcSetpointPort(sessions, options.nowMs);
}

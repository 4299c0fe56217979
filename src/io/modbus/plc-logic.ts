import { HEARTBEAT, STATUS, STATUS_REMOTE, STATUS_WATCHDOG_SAFE, rawRange, wordsOf, type PlcMap, type RegisterFunction, type RegisterSpec } from "../../config/plc-schema.ts";
import { decode, encode } from "./codec.ts";
import { ILLEGAL_DATA_ADDRESS, ILLEGAL_DATA_VALUE, ModbusException } from "./exceptions.ts";

/**
 * What a chaleur PLC does with its register image, as a pure state machine with an injected clock: the
 * TypeScript twin of plc/chaleur_common.st (FB_ChaleurWatchdog, F_ClampReal), used by the plant simulator's Modbus server and the in-memory fake.
 *
 * - Writes to unmapped or read-only addresses, and writes covering only one word of a 32-bit register, are
 *   refused whole with ILLEGAL DATA ADDRESS (nothing in the request is applied).
 * - Written setpoints are clamped to the map's [min, max]; a NaN becomes the register's safe value. The clamped
 *   value is what the register then holds, so a read-back shows what the PLC accepted.
 * - Watchdog: when the heartbeat register has not changed for watchdog_s (or has never changed since power-up),
 *   the effective setpoints are the safe values and status reads 1; the next change of the heartbeat brings back
 *   the remote setpoints (which the safe mode never overwrote) and status 0. controller_mode is such a setpoint:
 *   its register reads what the master wrote, effective() gives its safe value 3 (what the PLC's panel shows).
 */

/** Milliseconds, from whatever clock the owner chooses (real time in a server, a counter in tests). */
export type Clock = () => number;

type WordTable = "holding" | "input";
type BitTable = "coil" | "discrete";

interface Slot {
  reg: RegisterSpec;
  /** Which word of the register this address is (0 or 1). */
  offset: number;
}

/** Modbus limits per request (Modbus Application Protocol v1.1b3, §6): what fits in a 253-byte PDU. */
export const REQUEST_LIMITS = { readWords: 125, writeWords: 123, readBits: 2000, writeBits: 1968 } as const;

function clamp(reg: RegisterSpec, value: number): number {
  if (Number.isNaN(value)) return reg.safe ?? reg.min;
  return Math.min(reg.max, Math.max(reg.min, value));
}

export class PlcLogic {
  readonly map: PlcMap;
  private readonly clock: Clock;
  /** Raw words per table address (bits stored as 0/1). */
  private readonly image: Record<RegisterFunction, Map<number, number>>;
  private readonly slots: Record<RegisterFunction, Map<number, Slot>>;
  private readonly byName = new Map<string, RegisterSpec>();
  private readonly heartbeatReg: RegisterSpec;
  private readonly statusReg: RegisterSpec;
  private lastChangeMs: number;
  private heartbeatSeen = false;

  constructor(map: PlcMap, clock: Clock) {
    this.map = map;
    this.clock = clock;
    this.image = { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() };
    this.slots = { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() };
    for (const reg of map.registers) {
      this.byName.set(reg.name, reg);
      for (let offset = 0; offset < wordsOf(reg.type); offset++) this.slots[reg.fn].set(reg.address + offset, { reg, offset });
      // Power-up image: setpoints at their safe values, feedback at 0 (or the nearest value the map allows).
      this.store(reg, reg.safe ?? clamp(reg, 0));
    }
    this.heartbeatReg = this.mustGet(HEARTBEAT);
    this.statusReg = this.mustGet(STATUS);
    this.lastChangeMs = clock();
  }

  private mustGet(name: string): RegisterSpec {
    const reg = this.byName.get(name);
    if (!reg) throw new Error(`PLC map '${this.map.plc}' has no register '${name}'`);
    return reg;
  }

  private store(reg: RegisterSpec, value: number): void {
    const words = encode(reg, value);
    words.forEach((w, i) => this.image[reg.fn].set(reg.address + i, w));
  }

  private load(reg: RegisterSpec): number {
    if (reg === this.statusReg) return this.inSafeMode() ? STATUS_WATCHDOG_SAFE : STATUS_REMOTE;
    const words = [];
    for (let i = 0; i < wordsOf(reg.type); i++) words.push(this.image[reg.fn].get(reg.address + i) ?? 0);
    return decode(reg, words);
  }

  /** True while the watchdog holds the plant on the safe setpoints. */
  inSafeMode(): boolean {
    return !this.heartbeatSeen || this.clock() - this.lastChangeMs >= this.map.watchdogS * 1000;
  }

  status(): number {
    return this.load(this.statusReg);
  }

  /** A register's current value in engineering units (the remote setpoint for setpoints, even in safe mode). */
  get(name: string): number {
    return this.load(this.mustGet(name));
  }

  /** What the plant should act on now: every writable setpoint (not the heartbeat), remote or safe. */
  effective(): Record<string, number> {
    const safe = this.inSafeMode();
    const out: Record<string, number> = {};
    for (const reg of this.map.registers) {
      if (reg.access !== "rw" || reg === this.heartbeatReg) continue;
      out[reg.name] = safe ? reg.safe! : this.load(reg);
    }
    return out;
  }

  /**
   * The plant side sets a read-only register (a measurement). Values beyond what the type can carry saturate,
   * as a PLC's REAL_TO_INT conversion with a range check would.
   */
  setFeedback(name: string, value: number): void {
    const reg = this.mustGet(name);
    if (reg.access !== "r" || reg === this.statusReg) throw new Error(`'${name}' on PLC '${this.map.plc}' is not a feedback register`);
    if (reg.type === "float32") return this.store(reg, value);
    const r = rawRange(reg.type);
    const v = Number.isFinite(value) ? value : 0;
    this.store(reg, Math.min(r.max * reg.scale, Math.max(r.min * reg.scale, v)));
  }

  private slotsFor(fn: RegisterFunction, address: number, count: number, max: number): Slot[] {
    if (!Number.isInteger(count) || count < 1 || count > max) throw new ModbusException(ILLEGAL_DATA_VALUE, `quantity ${count} outside 1…${max}`);
    const out: Slot[] = [];
    for (let a = address; a < address + count; a++) {
      const slot = this.slots[fn].get(a);
      if (!slot) throw new ModbusException(ILLEGAL_DATA_ADDRESS, `no ${fn} register at address ${a} on PLC '${this.map.plc}'`);
      out.push(slot);
    }
    return out;
  }

  private read(fn: RegisterFunction, address: number, count: number, max: number): number[] {
    const slots = this.slotsFor(fn, address, count, max);
    // Words of a computed register (status) come from its current value, not from the stored image.
    const status = slots.some((s) => s.reg === this.statusReg) ? encode(this.statusReg, this.status()) : null;
    return slots.map((s, i) => (s.reg === this.statusReg && status ? status[s.offset]! : this.image[fn].get(address + i) ?? 0));
  }

  readWords(fn: WordTable, address: number, count: number): number[] {
    return this.read(fn, address, count, REQUEST_LIMITS.readWords);
  }

  readBits(fn: BitTable, address: number, count: number): number[] {
    return this.read(fn, address, count, REQUEST_LIMITS.readBits);
  }

  /** Checks a write request whole before any of it is applied; returns the registers it covers. */
  private writable(fn: "holding" | "coil", address: number, count: number, max: number): RegisterSpec[] {
    const slots = this.slotsFor(fn, address, count, max);
    const regs = [...new Set(slots.map((s) => s.reg))];
    for (const reg of regs) {
      if (reg.access !== "rw") throw new ModbusException(ILLEGAL_DATA_ADDRESS, `'${reg.name}' at ${fn} ${reg.address} is read-only`);
      if (reg.address < address || reg.address + wordsOf(reg.type) > address + count) {
        throw new ModbusException(ILLEGAL_DATA_ADDRESS, `'${reg.name}' at ${fn} ${reg.address}–${reg.address + 1} must be written whole (both words in one request)`);
      }
    }
    return regs;
  }

  /** FC6 / FC16. */
  writeWords(address: number, words: readonly number[]): void {
    const regs = this.writable("holding", address, words.length, REQUEST_LIMITS.writeWords);
    for (const reg of regs) {
      const mine = words.slice(reg.address - address, reg.address - address + wordsOf(reg.type));
      if (reg === this.heartbeatReg) {
        this.noteHeartbeat(mine[0]! & 0xffff);
        continue;
      }
      this.store(reg, clamp(reg, decode(reg, mine)));
    }
  }

  /** FC5 / FC15. */
  writeBits(address: number, bits: readonly number[]): void {
    const regs = this.writable("coil", address, bits.length, REQUEST_LIMITS.writeBits);
    for (const reg of regs) this.store(reg, bits[reg.address - address] ? 1 : 0);
  }

  private noteHeartbeat(value: number): void {
    const before = this.image.holding.get(this.heartbeatReg.address);
    this.image.holding.set(this.heartbeatReg.address, value);
    if (value !== before) {
      this.heartbeatSeen = true;
      this.lastChangeMs = this.clock();
    }
  }
}

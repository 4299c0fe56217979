import { z } from "zod";
import { InputError } from "./errors.ts";
import { describeKind, fileKind, parseYaml, readTextFile, validate } from "./load.ts";

/**
 * Register maps (plc/*.yaml): one per PLC, the contract between chaleur and the automation engineer.
 * The file says where each value lives on the wire and what the PLC itself enforces (clamps, safe values).
 *
 * Choices the checks below enforce (plc/README.md explains them to the PLC side):
 * - `bool` only on coils and discrete inputs, and those hold only `bool`: a flag in a holding register is a
 *   uint16 with min 0, max 1, so every holding/input register is a number with a scale.
 * - Input registers and discrete inputs are read-only by protocol, so `rw` is only for holding registers and coils.
 * - Every PLC has `heartbeat` (holding uint16 rw, no safe value: it is what the watchdog watches) and `status`
 *   (uint16, read-only: 0 remote setpoints, 1 watchdog safe mode), found by name.
 * - Every writable register except the heartbeat has min, max and safe; read-only registers have no safe value.
 */

export type RegisterFunction = "holding" | "input" | "coil" | "discrete";
export type RegisterType = "bool" | "uint16" | "int16" | "uint32" | "int32" | "float32";
export type WordOrder = "ABCD" | "CDAB";
export type Access = "r" | "rw";

export const REGISTER_FUNCTIONS: readonly RegisterFunction[] = ["holding", "input", "coil", "discrete"];
export const REGISTER_TYPES: readonly RegisterType[] = ["bool", "uint16", "int16", "uint32", "int32", "float32"];

export const HEARTBEAT = "heartbeat";
export const STATUS = "status";
/** Values of the status register. */
export const STATUS_REMOTE = 0;
export const STATUS_WATCHDOG_SAFE = 1;

export interface RegisterSpec {
  name: string;
  description: string;
  /** 0-based protocol (PDU) address; a 32-bit register also occupies address + 1. */
  address: number;
  fn: RegisterFunction;
  type: RegisterType;
  /** Word order of 32-bit types, null for 16-bit and bool. */
  wordOrder: WordOrder | null;
  /** engineering = raw × scale (1 for float32 and bool). */
  scale: number;
  unit: string;
  /** The PLC's hard limits (it clamps writes to them); the type's own range when the map gives none. */
  min: number;
  max: number;
  /** What the watchdog applies; null for read-only registers and the heartbeat. */
  safe: number | null;
  access: Access;
}

export interface PlcMap {
  plc: string;
  description: string;
  unitId: number;
  watchdogS: number;
  registers: RegisterSpec[];
}

/** 16-bit words a type occupies (bits count as one). */
export function wordsOf(type: RegisterType): 1 | 2 {
  return type === "uint32" || type === "int32" || type === "float32" ? 2 : 1;
}

export function isIntegerType(type: RegisterType): boolean {
  return type === "uint16" || type === "int16" || type === "uint32" || type === "int32";
}

/** Raw values a type can carry on the wire. */
export function rawRange(type: RegisterType): { min: number; max: number } {
  switch (type) {
    case "bool":
      return { min: 0, max: 1 };
    case "uint16":
      return { min: 0, max: 0xffff };
    case "int16":
      return { min: -0x8000, max: 0x7fff };
    case "uint32":
      return { min: 0, max: 0xffffffff };
    case "int32":
      return { min: -0x80000000, max: 0x7fffffff };
    case "float32":
      return { min: -3.4028234663852886e38, max: 3.4028234663852886e38 };
  }
}

/** Engineering values a register can carry (raw range × scale). */
export function engineeringRange(type: RegisterType, scale: number): { min: number; max: number } {
  const r = rawRange(type);
  if (scale === 1) return r;
  // 32767 × 0.1 is 3276.7000000000003 in binary floating point; the limit an engineer means is 3276.7.
  return { min: tidy(r.min * scale), max: tidy(r.max * scale) };
}

const num = z.number().finite();

const registerSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, "a lower-case name like hp1_heat_setpoint_kw"),
    description: z.string().default(""),
    address: z.number().int().min(0).max(65535),
    function: z.enum(["holding", "input", "coil", "discrete"]),
    type: z.enum(["bool", "uint16", "int16", "uint32", "int32", "float32"]),
    word_order: z.enum(["ABCD", "CDAB"]).optional(),
    scale: num.positive().default(1),
    unit: z.string().default(""),
    min: num.optional(),
    max: num.optional(),
    safe: num.optional(),
    access: z.enum(["r", "rw"]),
  })
  .strict();

export const plcSchema = z
  .object({
    plc: z.string().regex(/^[a-z][a-z0-9-]*$/, "a lower-case name like heat-pumps"),
    description: z.string().default(""),
    // 0 is broadcast and 248–255 are reserved on serial lines; gateways often bridge TCP to RTU, so keep to 1–247.
    unit_id: z.number().int().min(1).max(247),
    watchdog_s: num.positive().max(3600),
    registers: z.array(registerSchema).min(1),
  })
  .strict();

type RegisterFile = z.infer<typeof registerSchema>;

/** Drops binary-fraction noise for messages: 32767 × 0.1 prints as 3276.7, not 3276.7000000000003. */
function tidy(v: number): number {
  return Number(v.toPrecision(12));
}

function isMultipleOf(value: number, scale: number): boolean {
  const q = value / scale;
  return Math.abs(q - Math.round(q)) <= 1e-6 * Math.max(1, Math.abs(q));
}

/** Checks one register on its own; returns the resolved spec. */
function resolveRegister(r: RegisterFile, at: string, file: string): RegisterSpec {
  const fail = (field: string, expected: string, detail?: string): never => {
    throw new InputError(file, `${at}.${field}`, expected, detail ? `${detail}, register '${r.name}'` : `register '${r.name}'`);
  };
  const bitTable = r.function === "coil" || r.function === "discrete";
  if (bitTable && r.type !== "bool") fail("type", `bool on a ${r.function} (coils and discrete inputs hold single bits)`, `got ${r.type}`);
  if (!bitTable && r.type === "bool") fail("type", `a numeric type on a ${r.function} register (bool only on coils and discrete inputs; use uint16 with min 0, max 1 for a flag)`);
  if (r.access === "rw" && (r.function === "input" || r.function === "discrete")) fail("access", `r (${r.function === "input" ? "input registers" : "discrete inputs"} are read-only in Modbus)`);

  const words = wordsOf(r.type);
  if (words === 2 && r.word_order === undefined) fail("word_order", `ABCD or CDAB for a 32-bit ${r.type}`, "missing");
  if (words === 1 && r.word_order !== undefined) fail("word_order", `no word_order for a 16-bit or bool register`, `got ${r.word_order}`);
  if (r.address + words - 1 > 65535) fail("address", `an address ≤ ${65536 - words} (a ${r.type} takes ${words} registers)`, `got ${r.address}`);
  if (!isIntegerType(r.type) && r.scale !== 1) fail("scale", `1 for a ${r.type} (scale applies to integer types)`, `got ${r.scale}`);

  const range = engineeringRange(r.type, r.scale);
  const inType = (field: "min" | "max" | "safe", v: number | undefined) => {
    if (v === undefined) return;
    const raw = isIntegerType(r.type) ? Math.round(v / r.scale) : v;
    const rr = rawRange(r.type);
    if (raw < rr.min || raw > rr.max) fail(field, `a value within the ${r.type} range at scale ${r.scale} (${tidy(range.min)}…${tidy(range.max)})`, `got ${v}`);
    if (r.type === "bool" && v !== 0 && v !== 1) fail(field, "0 or 1 for a bool", `got ${v}`);
    if (isIntegerType(r.type) && !isMultipleOf(v, r.scale)) fail(field, `a multiple of scale ${r.scale} (the PLC can only hold whole raw steps)`, `got ${v}`);
  };
  inType("min", r.min);
  inType("max", r.max);
  inType("safe", r.safe);
  const min = r.min ?? range.min;
  const max = r.max ?? range.max;
  if (min > max) fail("min", `min ≤ max (${max})`, `got ${min}`);

  const isHeartbeat = r.name === HEARTBEAT;
  if (r.access === "r" && r.safe !== undefined) fail("safe", "no safe value on a read-only register (the watchdog applies safe values to writable setpoints)");
  if (r.access === "rw" && !isHeartbeat) {
    // A bool's limits are its type; numbers need the PLC's own clamps spelled out.
    if (r.type !== "bool" && r.min === undefined) fail("min", "a lower limit for a writable register (the PLC clamps writes to min…max)", "missing");
    if (r.type !== "bool" && r.max === undefined) fail("max", "an upper limit for a writable register (the PLC clamps writes to min…max)", "missing");
    if (r.safe === undefined) fail("safe", "the value the watchdog applies when chaleur falls silent", "missing");
  }
  if (r.safe !== undefined && (r.safe < min || r.safe > max)) fail("safe", `a value within min…max (${min}…${max})`, `got ${r.safe}`);

  if (isHeartbeat) {
    if (r.function !== "holding" || r.type !== "uint16" || r.access !== "rw") fail("function", "heartbeat as a holding uint16 with access rw", `got ${r.function} ${r.type} ${r.access}`);
    if (r.scale !== 1) fail("scale", "1 for the heartbeat", `got ${r.scale}`);
    if (r.safe !== undefined) fail("safe", "no safe value on the heartbeat (it is what the watchdog watches)");
  }
  if (r.name === STATUS) {
    if (!(r.function === "holding" || r.function === "input") || r.type !== "uint16" || r.access !== "r") fail("function", "status as a holding or input uint16 with access r", `got ${r.function} ${r.type} ${r.access}`);
    if (r.scale !== 1) fail("scale", "1 for the status register", `got ${r.scale}`);
  }

  return {
    name: r.name,
    description: r.description,
    address: r.address,
    fn: r.function,
    type: r.type,
    wordOrder: r.word_order ?? null,
    scale: r.scale,
    unit: r.unit,
    min,
    max,
    safe: r.safe ?? null,
    access: r.access,
  };
}

/** Cross-checks between registers: unique names, no overlapping addresses, heartbeat and status present. */
function checkTogether(regs: RegisterSpec[], file: string): void {
  const byName = new Map<string, number>();
  regs.forEach((r, i) => {
    const j = byName.get(r.name);
    if (j !== undefined) throw new InputError(file, `registers[${i}].name`, "a name no other register uses", `'${r.name}' is also registers[${j}]`);
    byName.set(r.name, i);
  });
  for (const fn of REGISTER_FUNCTIONS) {
    const owner = new Map<number, number>();
    regs.forEach((r, i) => {
      if (r.fn !== fn) return;
      for (let w = 0; w < wordsOf(r.type); w++) {
        const j = owner.get(r.address + w);
        if (j !== undefined) {
          const other = regs[j]!;
          throw new InputError(file, `registers[${i}].address`, `an address no other ${fn} register uses`, `'${r.name}' at ${r.address}${wordsOf(r.type) === 2 ? `–${r.address + 1}` : ""} overlaps '${other.name}' at ${other.address}${wordsOf(other.type) === 2 ? `–${other.address + 1}` : ""}`);
        }
        owner.set(r.address + w, i);
      }
    });
  }
  for (const special of [HEARTBEAT, STATUS]) {
    if (!byName.has(special)) throw new InputError(file, "registers", `a register named '${special}'`, "missing; every PLC needs a heartbeat and a status register");
  }
}

export function plcMapFromData(data: unknown, file: string): PlcMap {
  const f = validate(plcSchema, data, file);
  const registers = f.registers.map((r, i) => resolveRegister(r, `registers[${i}]`, file));
  checkTogether(registers, file);
  return { plc: f.plc, description: f.description, unitId: f.unit_id, watchdogS: f.watchdog_s, registers };
}

export function loadPlcMap(file: string): PlcMap {
  const data = parseYaml(readTextFile(file), file);
  const found = fileKind(data);
  if (found && found !== "PLC register map") throw new InputError(file, "(top level)", describeKind("PLC register map"), `this file is a ${found}`);
  return plcMapFromData(data, file);
}

/** The register of a map by name, or undefined. */
export function registerNamed(map: PlcMap, name: string): RegisterSpec | undefined {
  return map.registers.find((r) => r.name === name);
}

/** One-line summary for `chaleur validate`. */
export function describePlcMap(map: PlcMap): string {
  const count = (fn: RegisterFunction) => map.registers.filter((r) => r.fn === fn).length;
  const setpoints = map.registers.filter((r) => r.access === "rw" && r.name !== HEARTBEAT).length;
  return `unit ${map.unitId}, ${map.registers.length} registers (${count("holding")} holding, ${count("input")} input, ${count("coil")} coils, ${count("discrete")} discrete), ${setpoints} setpoints, watchdog ${map.watchdogS} s`;
}

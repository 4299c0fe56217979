import { isIntegerType, rawRange, wordsOf, type RegisterSpec } from "../../config/plc-schema.ts";

/**
 * Engineering values ⇄ 16-bit Modbus words, per register type, scale and word order. Pure.
 * Words are unsigned 0…65535 in address order (words[0] is at the register's address).
 * Bits (coils, discrete inputs) are one "word" of 0 or 1, so every table speaks the same shape.
 */

export type Encoding = Pick<RegisterSpec, "type" | "scale" | "wordOrder">;

/** Splits a 32-bit big-endian value (as 4 bytes) into words in the register's word order. */
function toWords(buf: Buffer, enc: Encoding): number[] {
  const hi = buf.readUInt16BE(0);
  const lo = buf.readUInt16BE(2);
  return enc.wordOrder === "CDAB" ? [lo, hi] : [hi, lo];
}

function fromWords(words: readonly number[], enc: Encoding): Buffer {
  const [w0, w1] = [words[0] ?? 0, words[1] ?? 0];
  const [hi, lo] = enc.wordOrder === "CDAB" ? [w1, w0] : [w0, w1];
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(hi, 0);
  buf.writeUInt16BE(lo, 2);
  return buf;
}

/** The raw step an integer register carries for `value` (encode() and the read-back check share this rounding). */
function rawStep(enc: Encoding, value: number): number {
  return Math.round(value / enc.scale);
}

/**
 * Encodes an engineering value. Integer types round to the nearest raw step and refuse values the type cannot
 * carry (a silent wrap would turn 3300 kW into a negative setpoint); float32 carries anything, NaN included,
 * so a PLC can be tested against it.
 */
export function encode(enc: Encoding, value: number): number[] {
  if (enc.type === "float32") {
    const buf = Buffer.alloc(4);
    buf.writeFloatBE(value, 0);
    return toWords(buf, enc);
  }
  if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value} as ${enc.type}`);
  const raw = enc.type === "bool" ? (value !== 0 ? 1 : 0) : rawStep(enc, value);
  const range = rawRange(enc.type);
  if (raw < range.min || raw > range.max) throw new RangeError(`${value} is outside the ${enc.type} range at scale ${enc.scale} (${Number((range.min * enc.scale).toPrecision(12))}…${Number((range.max * enc.scale).toPrecision(12))})`);
  switch (enc.type) {
    case "bool":
    case "uint16":
      return [raw];
    case "int16":
      return [raw & 0xffff];
    case "uint32":
    case "int32": {
      const buf = Buffer.alloc(4);
      if (enc.type === "uint32") buf.writeUInt32BE(raw, 0);
      else buf.writeInt32BE(raw, 0);
      return toWords(buf, enc);
    }
  }
}

/** Decodes words (as read, in address order) into an engineering value. */
export function decode(enc: Encoding, words: readonly number[]): number {
  const need = wordsOf(enc.type);
  if (words.length < need) throw new RangeError(`a ${enc.type} needs ${need} words, got ${words.length}`);
  const w0 = words[0]!;
  switch (enc.type) {
    case "bool":
      return w0 ? 1 : 0;
    case "uint16":
      return w0 * enc.scale;
    case "int16":
      return (w0 >= 0x8000 ? w0 - 0x10000 : w0) * enc.scale;
    case "uint32":
      return fromWords(words, enc).readUInt32BE(0) * enc.scale;
    case "int32":
      return fromWords(words, enc).readInt32BE(0) * enc.scale;
    case "float32":
      return fromWords(words, enc).readFloatBE(0);
  }
}

/** The value a register will actually hold after encoding (what a read-back should return). */
export function quantize(enc: Encoding, value: number): number {
  return decode(enc, encode(enc, value));
}

/**
 * Smallest step a register can resolve near `value`: the scale for integer types, 1 for bits, and the float32
 * spacing at that magnitude (2^(exponent − 23)) for floats.
 */
export function resolution(enc: Encoding, value: number): number {
  if (enc.type === "bool") return 1;
  if (isIntegerType(enc.type)) return enc.scale;
  const a = Math.abs(Math.fround(value));
  if (!Number.isFinite(a)) return Infinity;
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * Whether a read-back matches what was written. Bits and integers must read back the very raw value the write
 * encoded: a tolerance of one whole step would let any bool pass and a mode code be off by one. Floats are
 * allowed float32 precision, since the written number is a double and the register a float32.
 */
export function withinResolution(enc: Encoding, written: number, readBack: number): boolean {
  if (Number.isNaN(written) || Number.isNaN(readBack)) return false;
  if (enc.type === "bool") return (written !== 0) === (readBack !== 0);
  // Both sides in raw steps: a decoded value is raw × scale, which divides back to the raw integer to well
  // under half a step, so rounding recovers it exactly.
  if (isIntegerType(enc.type)) return rawStep(enc, written) === rawStep(enc, readBack);
  // One float32 step near the value (the register rounded the double), plus a hair for the arithmetic.
  return Math.abs(written - readBack) <= resolution(enc, written) * (1 + 1e-9);
}

import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * Compact encodings for the history's blobs: a record's values as little-endian float64 (NaN kept, 8 bytes each,
 * no parsing), and schedules as deflated JSON (a 36-step plan is ≈ 20 kB of JSON, ≈ 3 kB deflated).
 */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeFloats(values: ArrayLike<number>): Buffer {
  // A typed array's own bytes on little-endian machines (all chaleur runs on); byte by byte elsewhere.
  if (LITTLE_ENDIAN) return Buffer.from(Float64Array.from(values).buffer);
  const out = Buffer.allocUnsafe(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i]!, i * 8);
  return out;
}

export function decodeFloats(b: Uint8Array): Float64Array {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float64Array(b.byteLength / 8);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(buf);
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

export function deflateJson(v: unknown): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(v)));
}

export function inflateJson<T>(b: Uint8Array): T {
  return JSON.parse(inflateRawSync(b).toString("utf8")) as T;
}

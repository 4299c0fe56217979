import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * Compact encodings for the history's blobs: a record's values as little-endian float64 (NaN kept, 8 bytes each,
 * no parsing), and schedules as deflated JSON (a 36-step plan is ≈ 20 kB of JSON, ≈ 3 kB deflated).
 */
export function encodeFloats(values: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i]!, i * 8);
  return out;
}

export function decodeFloats(b: Uint8Array): Float64Array {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float64Array(b.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

export function deflateJson(v: unknown): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(v)));
}

export function inflateJson<T>(b: Uint8Array): T {
  return JSON.parse(inflateRawSync(b).toString("utf8")) as T;
}

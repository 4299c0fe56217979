import { DataType, VariantArrayType, type DataValue } from "node-opcua";
import type { RawSample } from "../quality.ts";

const NUMERIC = new Set<DataType>([DataType.Double, DataType.Float, DataType.SByte, DataType.Byte, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32]);

/**
 * The JS value a DataValue carries, without judging it: numbers and booleans as such, 64-bit integers (which
 * node-opcua hands over as [high, low] words) as numbers, and anything else (a String, a DateTime, an array
 * where a scalar is due) as it came, for the quality check to call bad_type.
 */
export function wireValue(dv: DataValue): unknown {
  const v = dv.value;
  if (!v || v.dataType === DataType.Null) return null;
  if (v.arrayType !== VariantArrayType.Scalar) return Array.from(v.value as ArrayLike<unknown>);
  if (NUMERIC.has(v.dataType) || v.dataType === DataType.Boolean) return v.value;
  if ((v.dataType === DataType.Int64 || v.dataType === DataType.UInt64) && Array.isArray(v.value)) {
    const [hi, lo] = v.value as [number, number];
    return v.dataType === DataType.Int64 && hi >= 0x80000000 ? (hi - 0x1_0000_0000) * 0x1_0000_0000 + lo : hi * 0x1_0000_0000 + lo;
  }
  return v.value;
}

/**
 * A DataValue as the quality pipeline takes it. The source timestamp is what ages the value; a server that sends
 * none is taken at its server timestamp (when it last vouched for the value), and with neither the value cannot be
 * aged at all and is refused.
 */
export function rawSample(dv: DataValue, receivedMs: number): RawSample {
  const stamp = dv.sourceTimestamp ?? dv.serverTimestamp;
  const sourceMs = stamp ? stamp.getTime() : Number.NaN;
  const status = dv.statusCode;
  if (!Number.isFinite(sourceMs)) return { value: wireValue(dv), sourceMs: receivedMs, receivedMs, sourceGood: false, sourceDetail: "no source or server timestamp" };
  const good = status.isGood();
  return { value: wireValue(dv), sourceMs, receivedMs, sourceGood: good, ...(good ? {} : { sourceDetail: `source status ${status.name}` }) };
}

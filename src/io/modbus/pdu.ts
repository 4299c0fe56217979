import { ILLEGAL_DATA_ADDRESS, ILLEGAL_DATA_VALUE, ILLEGAL_FUNCTION, ModbusException, SERVER_DEVICE_FAILURE } from "./exceptions.ts";
import { REQUEST_LIMITS as LIMITS, type PlcLogic } from "./plc-logic.ts";

/**
 * One Modbus request PDU (function code + data) in, one response PDU out, against a PlcLogic: the part of the
 * plant simulator's Modbus server that knows the function codes (Modbus Application Protocol v1.1b3, §6).
 * Pure and synchronous, so requests on one connection are answered in order and each is applied whole or not at all.
 *
 * Checks follow the spec's order for every function: function code (01), then quantity and byte count (03),
 * then address range (02), then the PLC's own rules (PlcLogic: 02 for unmapped, read-only or half a 32-bit
 * register, clamps). FC43 and the rest answer 01: chaleur's PLCs need none of them.
 */

/** Largest PDU the protocol allows (§4.1); the MBAP length adds the unit id byte. */
export const MAX_PDU_BYTES = 253;

const FIXED_LENGTH = new Set([1, 2, 3, 4, 5, 6]);

/**
 * The PDU length a request of this function declares by its own content: 5 for the fixed-size functions,
 * 6 + byte count for FC15/FC16, null for functions this server does not implement (their answer is 01, whatever
 * their size). A framed PDU of another length means the MBAP length and the PDU disagree: the stream is out of step.
 */
export function declaredPduLength(pdu: Buffer): number | null {
  const fc = pdu[0]!;
  if (FIXED_LENGTH.has(fc)) return 5;
  if (fc === 15 || fc === 16) return pdu.length >= 6 ? 6 + pdu[5]! : 6;
  return null;
}

function exception(fc: number, code: number): Buffer {
  return Buffer.from([fc | 0x80, code]);
}

function checkQuantity(qty: number, max: number): void {
  if (qty < 1 || qty > max) throw new ModbusException(ILLEGAL_DATA_VALUE, `quantity ${qty} outside 1…${max}`);
}

function checkRange(address: number, qty: number): void {
  // The last address must exist in a 16-bit address space (§6.1: "Starting Address + Quantity" ≤ 0x10000).
  if (address + qty > 0x10000) throw new ModbusException(ILLEGAL_DATA_ADDRESS, `addresses ${address}…${address + qty - 1} beyond 65535`);
}

function packBits(bits: readonly number[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) out[i >> 3]! |= 1 << (i & 7);
  });
  return out;
}

function unpackBits(bytes: Buffer, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((bytes[i >> 3]! >> (i & 7)) & 1);
  return out;
}

/** The response PDU to a request PDU whose length already matches declaredPduLength (see the server). */
export function servePdu(logic: PlcLogic, pdu: Buffer): Buffer {
  const fc = pdu[0]!;
  try {
    return respond(logic, fc, pdu);
  } catch (e) {
    if (e instanceof ModbusException) return exception(fc, e.modbusErrorCode);
    // A bug in the PLC logic: the master gets "device failure" rather than silence, and the PLC keeps serving.
    return exception(fc, SERVER_DEVICE_FAILURE);
  }
}

function respond(logic: PlcLogic, fc: number, pdu: Buffer): Buffer {
  const address = pdu.length >= 3 ? pdu.readUInt16BE(1) : 0;
  const field = pdu.length >= 5 ? pdu.readUInt16BE(3) : 0; // quantity, or the value of FC5/FC6
  switch (fc) {
    case 1:
    case 2: {
      checkQuantity(field, LIMITS.readBits);
      checkRange(address, field);
      const bits = packBits(logic.readBits(fc === 1 ? "coil" : "discrete", address, field));
      return Buffer.concat([Buffer.from([fc, bits.length]), bits]);
    }
    case 3:
    case 4: {
      checkQuantity(field, LIMITS.readWords);
      checkRange(address, field);
      const words = logic.readWords(fc === 3 ? "holding" : "input", address, field);
      const out = Buffer.alloc(2 + 2 * words.length);
      out[0] = fc;
      out[1] = 2 * words.length;
      words.forEach((w, i) => out.writeUInt16BE(w & 0xffff, 2 + 2 * i));
      return out;
    }
    case 5: {
      // §6.5: only 0xFF00 (on) and 0x0000 (off) are coil values; anything else is refused, not read as "non-zero".
      if (field !== 0xff00 && field !== 0x0000) throw new ModbusException(ILLEGAL_DATA_VALUE, `coil value 0x${field.toString(16)} is neither 0xFF00 nor 0x0000`);
      logic.writeBits(address, [field === 0xff00 ? 1 : 0]);
      return Buffer.from(pdu); // the echo of the request is the response
    }
    case 6:
      logic.writeWords(address, [field]);
      return Buffer.from(pdu);
    case 15:
    case 16: {
      const byteCount = pdu[5]!;
      const words = fc === 16;
      checkQuantity(field, words ? LIMITS.writeWords : LIMITS.writeBits);
      const expected = words ? 2 * field : Math.ceil(field / 8);
      if (byteCount !== expected) throw new ModbusException(ILLEGAL_DATA_VALUE, `byte count ${byteCount} does not match quantity ${field} (expected ${expected})`);
      checkRange(address, field);
      const data = pdu.subarray(6, 6 + byteCount);
      if (words) logic.writeWords(address, Array.from({ length: field }, (_, i) => data.readUInt16BE(2 * i)));
      else logic.writeBits(address, unpackBits(data, field));
      return Buffer.from(pdu.subarray(0, 5)); // fc, address, quantity
    }
    default:
      throw new ModbusException(ILLEGAL_FUNCTION, `function code ${fc} is not implemented`);
  }
}

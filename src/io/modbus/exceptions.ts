/** Modbus exception codes (Modbus Application Protocol v1.1b3, §7) that chaleur's PLCs and client use. */
export const ILLEGAL_FUNCTION = 0x01;
export const ILLEGAL_DATA_ADDRESS = 0x02;
export const ILLEGAL_DATA_VALUE = 0x03;
export const SERVER_DEVICE_FAILURE = 0x04;

const NAMES: Record<number, string> = {
  1: "ILLEGAL FUNCTION",
  2: "ILLEGAL DATA ADDRESS",
  3: "ILLEGAL DATA VALUE",
  4: "SERVER DEVICE FAILURE",
  5: "ACKNOWLEDGE",
  6: "SERVER DEVICE BUSY",
  8: "MEMORY PARITY ERROR",
  10: "GATEWAY PATH UNAVAILABLE",
  11: "GATEWAY TARGET DEVICE FAILED TO RESPOND",
};

export function exceptionName(code: number): string {
  return NAMES[code] ?? `exception ${code}`;
}

/**
 * A Modbus exception raised by a PLC. The simulated PLC's server (pdu.ts) answers `modbusErrorCode` as the
 * exception response, so PlcLogic throws these and the whole request is refused.
 */
export class ModbusException extends Error {
  readonly modbusErrorCode: number;
  constructor(code: number, why: string) {
    super(`Modbus exception ${code} ${exceptionName(code)}: ${why}`);
    this.name = "ModbusException";
    this.modbusErrorCode = code;
  }
}

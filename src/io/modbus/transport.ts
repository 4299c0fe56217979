import type { RegisterFunction } from "../../config/plc-schema.ts";

/**
 * Raw access to one PLC's four Modbus tables: what PlcSession needs from the wire. The TCP client and the
 * in-memory fake implement it, so both go through the same encode / write / read-back / compare path.
 * Words are 0…65535 in address order; coils and discrete inputs are 0/1.
 */
export interface RegisterTransport {
  /** Where this PLC is, for error messages (e.g. "127.0.0.1:5020 unit 1"). */
  readonly where: string;
  read(fn: RegisterFunction, address: number, count: number): Promise<number[]>;
  /** FC16 for holding registers; FC5 (one coil) or FC15 (several) for coils. */
  write(fn: "holding" | "coil", address: number, words: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

/** The PLC did not answer usefully: connection refused or lost, timeout, or waiting out a reconnect backoff. */
export class CommError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommError";
  }
}

/** What every request gets after close(): refused before it reaches the wire, no reconnect. */
export function closedError(): CommError {
  return new CommError("closed (close() was called; the connection is not reopened)");
}

/** The PLC answered with a Modbus exception: the link is fine, the request was refused. */
export class DeviceRefusal extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = "DeviceRefusal";
    this.code = code;
  }
}

/** "holding 10–11" style range text for messages. */
export function describeRange(fn: RegisterFunction, address: number, count: number): string {
  return count > 1 ? `${fn} ${address}–${address + count - 1}` : `${fn} ${address}`;
}

/**
 * The ports between chaleur's core and the plant's wire. The real adapters (OPC UA in, Modbus out), the plant
 * simulator and the in-memory fakes all implement these; the core never sees a protocol.
 */

/**
 * Quality of one measurement, as the core sees it. Only "good" values may be used as measurements; everything
 * else says why not. Wire-level codes (OPC UA status codes, Modbus exceptions) are mapped onto these.
 */
export type Quality =
  | "good"
  /** The source itself said bad/uncertain (OPC UA status code not Good). */
  | "bad_source"
  /** Not a finite number (NaN, ±Infinity). */
  | "bad_nan"
  /** Not a number at all (a string, a boolean where a number is due, a wrong OPC UA data type). */
  | "bad_type"
  /** Outside the tag's configured range. */
  | "bad_range"
  /** Changed faster than the tag's maximum rate of change. */
  | "bad_rate"
  /** Source timestamp older than the tag's maximum age. */
  | "stale"
  /** Value unchanged for longer than the tag's maximum age (a frozen sensor or a stuck gateway). */
  | "frozen"
  /** No answer: connection lost, timeout, Modbus exception, node missing. */
  | "comm_error";

export const QUALITIES: readonly Quality[] = ["good", "bad_source", "bad_nan", "bad_type", "bad_range", "bad_rate", "stale", "frozen", "comm_error"];

export interface Sample {
  /** The value as received (NaN when there is none); use it only if quality is "good". */
  value: number;
  quality: Quality;
  /** When the source says it measured the value (ms since epoch, UTC). */
  sourceMs: number;
  /** When chaleur received it. */
  receivedMs: number;
  /** What went wrong, for logs and the HMI (absent when good). */
  detail?: string;
}

/** Reads the plant's measurements: the latest sample of every configured tag, by measurement name. */
export interface MeasurementPort {
  read(): Promise<Map<string, Sample>>;
  close(): Promise<void>;
}

/** The result of writing one PLC's setpoints. */
export interface WriteReport {
  plc: string;
  ok: boolean;
  /** Engineering values written and read back, by register name. */
  written: Record<string, number>;
  readBack: Record<string, number>;
  /** Registers whose read-back differs from the value written (integers and bools exactly, floats beyond float32 precision). */
  mismatches: string[];
  error?: string;
  ms: number;
}

/**
 * Writes setpoints to the PLCs, by register name (engineering units, as in plc/*.yaml), and keeps each PLC's
 * heartbeat alive. A write that fails or does not read back is reported, never silently retried into success.
 */
export interface SetpointPort {
  write(values: Record<string, number>): Promise<WriteReport[]>;
  /**
   * Increments every PLC's heartbeat register, every cycle after write(): a PLC's heartbeat is held back until a
   * write to it has succeeded since its last failure and within its watchdog time, so a watchdog never ends on stale
   * setpoints.
   */
  heartbeat(): Promise<void>;
  close(): Promise<void>;
}

import type { ForecastSnapshot } from "./port.ts";

/**
 * Judging the forecast values read off the wire, apart from the client (no node-opcua import) so that values no
 * server would send, such as an invalid Date, can be tested directly.
 */

export interface ForecastNodes {
  startNodeId: string;
  stepNodeId: string;
  /** Forecast name → node id of its Double array. */
  series: Record<string, string>;
}

/** A wire value in a few words, on one line, for an error message. */
function shown(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "an invalid date" : v.toISOString();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null || v === undefined ? "no value" : typeof v;
}

/**
 * The forecast as the optimizer may use it, or a one-line error naming the node: a NaN or infinite entry would
 * otherwise flow into the optimizer as a demand or a price, and an invalid start or step would misplace every entry.
 */
export function checkedForecast(url: string, nodes: ForecastNodes, start: unknown, stepS: unknown, series: Record<string, unknown>): ForecastSnapshot {
  if (!(start instanceof Date) || !Number.isFinite(start.getTime())) throw new Error(`OPC UA: forecast start ${nodes.startNodeId} on ${url} is not a valid DateTime (got ${shown(start)})`);
  if (typeof stepS !== "number" || !Number.isFinite(stepS) || !(stepS > 0)) throw new Error(`OPC UA: forecast step ${nodes.stepNodeId} on ${url} is not a positive number of seconds (got ${shown(stepS)})`);
  const out: Record<string, number[]> = {};
  for (const [name, nodeId] of Object.entries(nodes.series)) {
    const v = series[name];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw new Error(`OPC UA: forecast ${name} (${nodeId}) on ${url} is not an array of numbers (got ${shown(v)})`);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`OPC UA: forecast ${name} (${nodeId}) on ${url} has a non-finite value at index ${bad} (${String(v[bad])})`);
    out[name] = v as number[];
  }
  return { startMs: start.getTime(), stepS, series: out };
}

import { openSync, writeSync, closeSync } from "node:fs";
import { MODES } from "../control/types.ts";
import type { SimulationResult } from "../sim/engine.ts";

/**
 * Fixed 3-decimal formatting without toFixed: a year at 1-min steps is ~15 M numbers, and this is the hot path.
 * Trailing zeros are trimmed; the output is identical for identical inputs on any machine (integer arithmetic).
 */
export function fmt3(x: number): string {
  if (!Number.isFinite(x)) return "";
  const n = Math.round(x * 1000);
  if (n === 0) return "0";
  const neg = n < 0;
  const a = neg ? -n : n;
  const ip = Math.floor(a / 1000);
  const fp = a - ip * 1000;
  let s: string;
  if (fp === 0) s = String(ip);
  else if (fp % 100 === 0) s = `${ip}.${fp / 100}`;
  else if (fp % 10 === 0) s = `${ip}.${fp < 100 ? "0" : ""}${fp / 10}`;
  else s = `${ip}.${fp < 10 ? "00" : fp < 100 ? "0" : ""}${fp}`;
  return neg ? `-${s}` : s;
}

const pad2 = (v: number) => (v < 10 ? `0${v}` : String(v));

/** ISO 8601 UTC timestamps for a regular grid, computing the date part once per day. */
function* isoTimes(startMs: number, stepS: number, n: number): Generator<string> {
  let dayStart = Number.NaN;
  let datePart = "";
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepS * 1000;
    const d0 = t - (((t % 86_400_000) + 86_400_000) % 86_400_000);
    if (d0 !== dayStart) {
      dayStart = d0;
      datePart = new Date(d0).toISOString().slice(0, 11);
    }
    const secOfDay = Math.floor((t - d0) / 1000);
    yield `${datePart}${pad2(Math.floor(secOfDay / 3600))}:${pad2(Math.floor(secOfDay / 60) % 60)}:${pad2(secOfDay % 60)}Z`;
  }
}

/** Writes timeseries.csv: `time`, every recorded column, then `mode`. Buffered writes of ~1 MB. */
export function writeTimeseriesCsv(res: SimulationResult, path: string): void {
  const names = [...res.columns.keys()];
  const cols = names.map((k) => res.columns.get(k)!);
  const fd = openSync(path, "w");
  try {
    let buf = `time,${names.join(",")},mode\n`;
    let i = 0;
    for (const time of isoTimes(res.inputs.startMs, res.inputs.stepS, res.inputs.n)) {
      let line = time;
      for (let k = 0; k < cols.length; k++) line += `,${fmt3(cols[k]![i]!)}`;
      buf += `${line},${MODES[res.mode[i]!]}\n`;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = "";
      }
      i++;
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

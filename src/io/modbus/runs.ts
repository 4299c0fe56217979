import { wordsOf, type RegisterFunction, type RegisterSpec } from "../../config/plc-schema.ts";
import { decode, encode } from "./codec.ts";

/**
 * Groups registers into runs of adjacent addresses in one table, so a cycle costs one request per run rather
 * than one per register. Runs never bridge a gap: a PLC may refuse (or worse, accept) an unmapped address.
 */
export interface Run {
  fn: RegisterFunction;
  address: number;
  /** Words (or bits) the run covers. */
  count: number;
  regs: RegisterSpec[];
}

/** Largest run per request: 123 words is the FC16 limit (FC3 allows 125); 1968 bits the FC15 limit. */
const MAX_WORDS = 123;
const MAX_BITS = 1968;

/**
 * Order of the tables in a write (and so of its requests): holding registers, the setpoints and the mode, before
 * coils, the enables. Writes stop at the first failed request, so if the setpoints cannot be written the enables
 * are left as they were: a unit is never switched on to run at a stale setpoint. (The other way round, a new
 * setpoint with an enable that failed to change is only a setpoint nobody acts on yet.)
 */
const TABLE_ORDER: Record<RegisterFunction, number> = { holding: 0, coil: 1, input: 2, discrete: 3 };

/** Runs in table order (see TABLE_ORDER), by address within a table. */
export function runsOf(regs: readonly RegisterSpec[]): Run[] {
  const sorted = [...regs].sort((a, b) => TABLE_ORDER[a.fn] - TABLE_ORDER[b.fn] || a.address - b.address);
  const out: Run[] = [];
  for (const reg of sorted) {
    const n = wordsOf(reg.type);
    const last = out.at(-1);
    const limit = reg.fn === "coil" || reg.fn === "discrete" ? MAX_BITS : MAX_WORDS;
    if (last && last.fn === reg.fn && last.address + last.count === reg.address && last.count + n <= limit) {
      last.count += n;
      last.regs.push(reg);
    } else {
      out.push({ fn: reg.fn, address: reg.address, count: n, regs: [reg] });
    }
  }
  return out;
}

/** The words to write for a run, each register encoded from `values` (engineering units). */
export function encodeRun(run: Run, values: Record<string, number>): number[] {
  return run.regs.flatMap((reg) => encode(reg, values[reg.name]!));
}

/** Engineering values of a run's registers from the words read. */
export function decodeRun(run: Run, words: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const reg of run.regs) {
    const at = reg.address - run.address;
    out[reg.name] = decode(reg, words.slice(at, at + wordsOf(reg.type)));
  }
  return out;
}

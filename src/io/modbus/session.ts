import { HEARTBEAT, registerNamed, type PlcMap, type RegisterSpec } from "../../config/plc-schema.ts";
import type { WriteReport } from "../types.ts";
import { withinResolution } from "./codec.ts";
import { decodeRun, encodeRun, runsOf } from "./runs.ts";
import { CommError, DeviceRefusal, type RegisterTransport } from "./transport.ts";

/** The result of one heartbeat increment on one PLC. */
export interface HeartbeatReport {
  plc: string;
  ok: boolean;
  /** The heartbeat value written (absent on failure). */
  value?: number;
  error?: string;
  ms: number;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
}

/**
 * One PLC as chaleur sees it: setpoints by name in engineering units, checked against the map, encoded, written,
 * read back and compared; the heartbeat; feedback reads. Wire failures become reports, never exceptions.
 * Requests to one PLC are serialized, so a heartbeat never interleaves with a write's read-back.
 */
export class PlcSession {
  readonly map: PlcMap;
  private readonly transport: RegisterTransport;
  private readonly heartbeatReg: RegisterSpec;
  private queue: Promise<unknown> = Promise.resolve();
  /** Last heartbeat value written; null until read from the PLC (after start or a failure). */
  private beat: number | null = null;

  constructor(map: PlcMap, transport: RegisterTransport) {
    this.map = map;
    this.transport = transport;
    const hb = registerNamed(map, HEARTBEAT);
    if (!hb) throw new Error(`PLC map '${map.plc}' has no heartbeat register`);
    this.heartbeatReg = hb;
  }

  get plc(): string {
    return this.map.plc;
  }

  has(name: string): boolean {
    return registerNamed(this.map, name) !== undefined;
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private explain(e: unknown, doing: string): string {
    if (e instanceof DeviceRefusal) return `${this.plc} (${this.transport.where}): PLC refused ${doing}: ${e.message}`;
    if (e instanceof CommError) return `${this.plc} (${this.transport.where}): ${doing} failed: ${e.message}`;
    return `${this.plc} (${this.transport.where}): ${doing} failed: ${e instanceof Error ? e.message : String(e)}`;
  }

  /**
   * Why these values must not be written, or null. The whole set is refused if one value is bad: writing part of
   * a PLC's setpoints (an enable without its heat setpoint) could leave the unit in a state nobody decided.
   */
  refusal(values: Record<string, number>): string | null {
    const problems: string[] = [];
    for (const [name, v] of Object.entries(values)) {
      const reg = registerNamed(this.map, name);
      if (!reg) problems.push(`no register '${name}'`);
      else if (reg.access !== "rw") problems.push(`'${name}' is read-only`);
      else if (reg === this.heartbeatReg) problems.push(`'${name}' is kept by heartbeat(), not written as a setpoint`);
      else if (!Number.isFinite(v)) problems.push(`${name} = ${v} is not a finite number`);
      else if (reg.type === "bool" && v !== 0 && v !== 1) problems.push(`${name} = ${fmt(v)} is not 0 or 1`);
      else if (v < reg.min || v > reg.max) problems.push(`${name} = ${fmt(v)}${reg.unit ? ` ${reg.unit}` : ""} is outside the PLC's limits ${fmt(reg.min)}…${fmt(reg.max)}${reg.unit ? ` ${reg.unit}` : ""}`);
    }
    return problems.length ? `${this.plc}: nothing written: ${problems.join("; ")}` : null;
  }

  write(values: Record<string, number>): Promise<WriteReport> {
    const t0 = performance.now();
    const report: WriteReport = { plc: this.plc, ok: false, written: {}, readBack: {}, mismatches: [], ms: 0 };
    const refused = this.refusal(values);
    if (refused) return Promise.resolve({ ...report, error: refused, ms: performance.now() - t0 });
    return this.exclusive(async () => {
      const regs = Object.keys(values).map((n) => registerNamed(this.map, n)!);
      const runs = runsOf(regs);
      let doing = "";
      try {
        for (const run of runs) {
          doing = `writing ${run.regs.map((r) => r.name).join(", ")}`;
          await this.transport.write(run.fn as "holding" | "coil", run.address, encodeRun(run, values));
          for (const r of run.regs) report.written[r.name] = values[r.name]!;
        }
        for (const run of runs) {
          doing = `reading back ${run.regs.map((r) => r.name).join(", ")}`;
          Object.assign(report.readBack, decodeRun(run, await this.transport.read(run.fn, run.address, run.count)));
        }
      } catch (e) {
        report.error = this.explain(e, doing);
      }
      for (const reg of regs) {
        const back = report.readBack[reg.name];
        if (back !== undefined && !withinResolution(reg, values[reg.name]!, back)) report.mismatches.push(reg.name);
      }
      if (!report.error && report.mismatches.length) {
        report.error = `${this.plc}: read-back differs: ${report.mismatches.map((n) => `${n} wrote ${fmt(values[n]!)}, PLC holds ${fmt(report.readBack[n]!)}`).join("; ")}`;
      }
      report.ok = !report.error;
      report.ms = performance.now() - t0;
      return report;
    });
  }

  /** Increments the heartbeat register, wrapping 65535 → 0; reads the PLC's value first after start or a failure. */
  heartbeat(): Promise<HeartbeatReport> {
    const t0 = performance.now();
    const hb = this.heartbeatReg;
    return this.exclusive(async () => {
      try {
        if (this.beat === null) this.beat = (await this.transport.read("holding", hb.address, 1))[0]!;
        const next = (this.beat + 1) & 0xffff;
        await this.transport.write("holding", hb.address, [next]);
        this.beat = next;
        return { plc: this.plc, ok: true, value: next, ms: performance.now() - t0 };
      } catch (e) {
        this.beat = null;
        return { plc: this.plc, ok: false, error: this.explain(e, "heartbeat"), ms: performance.now() - t0 };
      }
    });
  }

  /** Reads registers by name in engineering units; rejects with a clear message when the PLC does not answer. */
  read(names: readonly string[]): Promise<Record<string, number>> {
    const unknown = names.filter((n) => !this.has(n));
    if (unknown.length) return Promise.reject(new Error(`${this.plc}: no register ${unknown.map((n) => `'${n}'`).join(", ")}`));
    const regs = names.map((n) => registerNamed(this.map, n)!);
    return this.exclusive(async () => {
      const out: Record<string, number> = {};
      for (const run of runsOf(regs)) {
        try {
          Object.assign(out, decodeRun(run, await this.transport.read(run.fn, run.address, run.count)));
        } catch (e) {
          throw new Error(this.explain(e, `reading ${run.regs.map((r) => r.name).join(", ")}`));
        }
      }
      return out;
    });
  }

  close(): Promise<void> {
    return this.exclusive(() => this.transport.close());
  }
}

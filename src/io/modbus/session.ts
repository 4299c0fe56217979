import { HEARTBEAT, registerNamed, type PlcMap, type RegisterSpec } from "../../config/plc-schema.ts";
import type { WriteReport } from "../types.ts";
import { withinResolution } from "./codec.ts";
import { decodeRun, encodeRun, runsOf } from "./runs.ts";
import { closedError, CommError, DeviceRefusal, type RegisterTransport } from "./transport.ts";

/** The result of one heartbeat increment on one PLC. */
export interface HeartbeatReport {
  plc: string;
  ok: boolean;
  /** The heartbeat value written (absent on failure). */
  value?: number;
  /** True when chaleur chose not to write the heartbeat (setpoints not fresh; `error` says why), not a wire failure. */
  withheld?: boolean;
  error?: string;
  ms: number;
}

/**
 * Whether the PLC holds setpoints chaleur vouches for: written with a good read-back at `atMs`, or not since
 * `why` (start, or the last failure). Only fresh setpoints may be kept alive by the heartbeat.
 */
type Freshness = { atMs: number } | { why: string };

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
}

/**
 * One PLC as chaleur sees it: setpoints by name in engineering units, checked against the map, encoded, written,
 * read back and compared; the heartbeat; feedback reads. Wire failures become reports, never exceptions.
 * Requests to one PLC are serialized, so a heartbeat never interleaves with a write's read-back.
 *
 * The heartbeat is what tells the PLC to act on the setpoint registers, so it is only written over fresh ones:
 * not before the first successful write, not after a failure (comm error, refusal, read-back mismatch) until a
 * write has succeeded again, and not once the last successful write is watchdog_s old. Otherwise a heartbeat
 * after an outage would end the PLC's safe mode on whatever the registers held before it.
 */
export class PlcSession {
  readonly map: PlcMap;
  private readonly transport: RegisterTransport;
  private readonly heartbeatReg: RegisterSpec;
  private readonly nowMs: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Last heartbeat value written; null until read from the PLC (after start or a failure). */
  private beat: number | null = null;
  private freshness: Freshness = { why: "no setpoints written since the session started" };
  private closed = false;

  /**
   * `nowMs` times the age of the last write against the watchdog: monotonic by default, so a wall-clock step
   * cannot stretch or cut it; a simulated PLC passes its own clock.
   */
  constructor(map: PlcMap, transport: RegisterTransport, nowMs: () => number = () => performance.now()) {
    this.map = map;
    this.transport = transport;
    this.nowMs = nowMs;
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

  private wroteFresh(): void {
    this.freshness = { atMs: this.nowMs() };
  }

  /** Something went wrong on this PLC: its registers may no longer hold what chaleur decided. */
  private failed(what: string, error: string): void {
    this.freshness = { why: `no setpoints written since the last failure (${what}: ${error})` };
    // The PLC may have restarted meanwhile: read its heartbeat again, so the next one is surely a change.
    this.beat = null;
  }

  /** Why the heartbeat must not be written now, or null when the setpoints are fresh. */
  private heartbeatHold(): string | null {
    if ("why" in this.freshness) return this.freshness.why;
    const ageS = (this.nowMs() - this.freshness.atMs) / 1000;
    // The PLC's own patience: setpoints as old as watchdog_s are what it would have given up on by now.
    if (ageS >= this.map.watchdogS) return `the last successful write is ${fmt(ageS)} s old, not younger than the watchdog's ${fmt(this.map.watchdogS)} s`;
    return null;
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
    const closed = this.closed;
    // Queued even when nothing goes on the wire, so freshness follows the order of the calls.
    return this.exclusive(async () => {
      const refused = closed ? this.explain(closedError(), "writing setpoints") : this.refusal(values);
      const report = refused ? this.failedWrite(refused, t0) : await this.writeChecked(values, t0);
      if (report.ok) this.wroteFresh();
      else this.failed("write", report.error ?? "not ok");
      return report;
    });
  }

  private failedWrite(error: string, t0: number): WriteReport {
    return { plc: this.plc, ok: false, written: {}, readBack: {}, mismatches: [], error, ms: performance.now() - t0 };
  }

  /** Writes every run (in runsOf's order: setpoints before enables), reads every run back, compares. */
  private async writeChecked(values: Record<string, number>, t0: number): Promise<WriteReport> {
    const report: WriteReport = { plc: this.plc, ok: false, written: {}, readBack: {}, mismatches: [], ms: 0 };
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
  }

  /**
   * Increments the heartbeat register, wrapping 65535 → 0; reads the PLC's value first after start or a failure.
   * Withheld (reported, nothing sent) while the setpoints are not fresh: the PLC is then left to its watchdog.
   */
  heartbeat(): Promise<HeartbeatReport> {
    const t0 = performance.now();
    const closed = this.closed;
    return this.exclusive(async () => {
      if (closed) return { plc: this.plc, ok: false, error: this.explain(closedError(), "heartbeat"), ms: performance.now() - t0 };
      const hold = this.heartbeatHold();
      if (hold) return { plc: this.plc, ok: false, withheld: true, error: `${this.plc}: heartbeat withheld: ${hold}`, ms: performance.now() - t0 };
      try {
        return { plc: this.plc, ok: true, value: await this.incrementHeartbeat(), ms: performance.now() - t0 };
      } catch (e) {
        const error = this.explain(e, "heartbeat");
        this.failed("heartbeat", error);
        return { plc: this.plc, ok: false, error, ms: performance.now() - t0 };
      }
    });
  }

  private async incrementHeartbeat(): Promise<number> {
    const hb = this.heartbeatReg;
    if (this.beat === null) this.beat = (await this.transport.read("holding", hb.address, 1))[0]!;
    const next = (this.beat + 1) & 0xffff;
    await this.transport.write("holding", hb.address, [next]);
    this.beat = next;
    return next;
  }

  /** Reads registers by name in engineering units; rejects with a clear message when the PLC does not answer. */
  read(names: readonly string[]): Promise<Record<string, number>> {
    const unknown = names.filter((n) => !this.has(n));
    if (unknown.length) return Promise.reject(new Error(`${this.plc}: no register ${unknown.map((n) => `'${n}'`).join(", ")}`));
    const regs = names.map((n) => registerNamed(this.map, n)!);
    if (this.closed) return Promise.reject(new CommError(this.explain(closedError(), `reading ${names.join(", ")}`)));
    return this.exclusive(async () => {
      const out: Record<string, number> = {};
      for (const run of runsOf(regs)) {
        try {
          Object.assign(out, decodeRun(run, await this.transport.read(run.fn, run.address, run.count)));
        } catch (e) {
          const error = this.explain(e, `reading ${run.regs.map((r) => r.name).join(", ")}`);
          if (!(e instanceof CommError)) throw new Error(error);
          // A lost link may mean a restarted PLC; a refused read (a map problem) says nothing about its registers.
          this.failed("read", error);
          throw new CommError(error);
        }
      }
      return out;
    });
  }

  /** Closes the connection for good: later calls fail with "closed" and reach nothing. */
  close(): Promise<void> {
    this.closed = true;
    return this.exclusive(() => this.transport.close());
  }
}


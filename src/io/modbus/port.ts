import type { Sample, SetpointPort, WriteReport } from "../types.ts";
import type { HeartbeatReport, PlcSession } from "./session.ts";

/**
 * The SetpointPort over several PLCs: routes each value to every PLC whose map has a register of that name
 * (`controller_mode` goes to all of them), writes the PLCs in parallel, one report per PLC touched.
 * The transport behind the sessions (TCP or in-memory) does not matter here.
 */
export class PlcSetpointPort implements SetpointPort {
  private readonly sessions: PlcSession[];
  private readonly nowMs: () => number;
  private beats: HeartbeatReport[] = [];

  constructor(sessions: PlcSession[], nowMs: () => number = Date.now) {
    const seen = new Set<string>();
    for (const s of sessions) {
      if (seen.has(s.plc)) throw new Error(`two PLC endpoints named '${s.plc}'`);
      seen.add(s.plc);
    }
    this.sessions = sessions;
    this.nowMs = nowMs;
  }

  get plcs(): string[] {
    return this.sessions.map((s) => s.plc);
  }

  /** Whether some PLC has a register of this name (to drop setpoints for equipment this plant lacks). */
  has(name: string): boolean {
    return this.sessions.some((s) => s.has(name));
  }

  async write(values: Record<string, number>): Promise<WriteReport[]> {
    const names = Object.keys(values);
    const targets = this.sessions.filter((s) => names.some((n) => s.has(n)));
    const reports = await Promise.all(
      targets.map(async (s): Promise<WriteReport> => {
        const mine = Object.fromEntries(Object.entries(values).filter(([n]) => s.has(n)));
        try {
          return await s.write(mine);
        } catch (e) {
          // Sessions report wire failures themselves; this only catches a bug, and still must not throw out of write().
          return { plc: s.plc, ok: false, written: {}, readBack: {}, mismatches: [], error: `${s.plc}: ${e instanceof Error ? e.message : String(e)}`, ms: 0 };
        }
      }),
    );
    const orphans = names.filter((n) => !this.sessions.some((s) => s.has(n)));
    if (orphans.length) {
      reports.push({ plc: "(none)", ok: false, written: {}, readBack: {}, mismatches: [], error: `no PLC map has ${orphans.map((n) => `'${n}'`).join(", ")}; not written`, ms: 0 });
    }
    return reports;
  }

  /**
   * Increments every PLC's heartbeat; never rejects (a PLC that missed it will trip its watchdog, as designed).
   * A PLC whose setpoints are not fresh (no successful write since start, since a failure, or within its
   * watchdog_s) gets none: call write() before heartbeat() every cycle. lastHeartbeat() says which and why.
   */
  async heartbeat(): Promise<void> {
    this.beats = await Promise.all(this.sessions.map((s) => s.heartbeat()));
  }

  /** The outcome of the last heartbeat() per PLC, for logs and the HMI. */
  lastHeartbeat(): readonly HeartbeatReport[] {
    return this.beats;
  }

  /** The session a name refers to: a name unique across the maps, or `<plc>.<register>`. */
  private locate(name: string): { session: PlcSession; register: string } {
    const dot = name.indexOf(".");
    if (dot > 0) {
      const session = this.sessions.find((s) => s.plc === name.slice(0, dot));
      const register = name.slice(dot + 1);
      if (!session || !session.has(register)) throw new Error(`no register '${register}' on a PLC named '${name.slice(0, dot)}'`);
      return { session, register };
    }
    const owners = this.sessions.filter((s) => s.has(name));
    if (owners.length === 0) throw new Error(`no PLC map has a register '${name}'`);
    if (owners.length > 1) throw new Error(`'${name}' is on ${owners.map((s) => s.plc).join(", ")}; say which, e.g. '${owners[0]!.plc}.${name}'`);
    return { session: owners[0]!, register: name };
  }

  /**
   * Reads registers (feedback, status, read-backs) as samples. A PLC that does not answer gives its samples
   * quality comm_error; an unknown or ambiguous name is a programming error and rejects.
   */
  async readRegisters(names: readonly string[]): Promise<Map<string, Sample>> {
    const wanted = names.map((n) => ({ name: n, ...this.locate(n) }));
    const out = new Map<string, Sample>();
    await Promise.all(
      this.sessions.map(async (s) => {
        const mine = wanted.filter((w) => w.session === s);
        if (!mine.length) return;
        try {
          const values = await s.read(mine.map((w) => w.register));
          const t = this.nowMs();
          for (const w of mine) {
            const v = values[w.register]!;
            out.set(w.name, Number.isNaN(v) ? { value: v, quality: "bad_nan", sourceMs: t, receivedMs: t, detail: `${w.name} read NaN` } : { value: v, quality: "good", sourceMs: t, receivedMs: t });
          }
        } catch (e) {
          const t = this.nowMs();
          const detail = e instanceof Error ? e.message : String(e);
          for (const w of mine) out.set(w.name, { value: NaN, quality: "comm_error", sourceMs: t, receivedMs: t, detail });
        }
      }),
    );
    return out;
  }

  /** For good: afterwards writes, heartbeats and reads fail with "closed" and open no connection. */
  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}

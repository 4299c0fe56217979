import { describe, expect, it } from "vitest";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BehaviorSubject } from "rxjs";
import { notifySystemd, SystemdNotifier, SYSTEMD_NOTIFY, type ExecFn } from "./systemd.ts";
import type { DaemonStatus } from "./cycle.ts";

const PID = 4242;
const SOCKET = { NOTIFY_SOCKET: "/run/systemd/notify" };

/** A fake exec that records every call and answers with `fail(args)` (null: success). */
function recorder(fail: (args: string[]) => (Error & { code?: unknown }) | null = () => null) {
  const calls: { file: string; args: string[] }[] = [];
  const exec: ExecFn = (file, args, done) => {
    calls.push({ file, args });
    queueMicrotask(() => done(fail(args)));
  };
  return { calls, exec, sent: () => calls.map((c) => c.args[1]) };
}

function logRecorder() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  return { lines, log: { warn: (obj: object, msg: string) => lines.push({ obj: obj as Record<string, unknown>, msg }) } };
}

function notifier(env: NodeJS.ProcessEnv, exec: ExecFn, extra: { nowMs?: () => number; log?: { warn(o: object, m: string): void } } = {}) {
  return new SystemdNotifier({ env, pid: PID, exec, ...extra });
}

describe("systemd notifications (sd_notify through systemd-notify)", () => {
  it("sends nothing without NOTIFY_SOCKET, whatever is called", async () => {
    const r = recorder();
    const n = notifier({ WATCHDOG_USEC: "60000000" }, r.exec);
    expect(n.enabled).toBe(false);
    await n.ready();
    await n.watchdog();
    await n.status("mode optimal: plan made 1 min ago");
    await n.stopping();
    expect(r.calls).toEqual([]);
    const empty = notifier({ NOTIFY_SOCKET: "" }, r.exec);
    await empty.ready();
    expect(r.calls).toEqual([]);
  });

  it("runs systemd-notify with --pid=<main pid> and one assignment: the exact argv of each message", async () => {
    const r = recorder();
    const n = notifier({ ...SOCKET }, r.exec);
    await n.ready();
    await n.watchdog();
    await n.status("mode held: solver: timeout\n(no incumbent)");
    await n.stopping();
    expect(r.calls).toEqual([
      { file: SYSTEMD_NOTIFY, args: ["--pid=4242", "READY=1"] },
      { file: SYSTEMD_NOTIFY, args: ["--pid=4242", "WATCHDOG=1"] },
      { file: SYSTEMD_NOTIFY, args: ["--pid=4242", "STATUS=mode held: solver: timeout (no incumbent)"] },
      { file: SYSTEMD_NOTIFY, args: ["--pid=4242", "STOPPING=1"] },
    ]);
    expect(SYSTEMD_NOTIFY).toBe("systemd-notify");
  });

  it("sends READY=1 once, and nothing but STATUS after STOPPING=1", async () => {
    const r = recorder();
    const n = notifier({ ...SOCKET }, r.exec);
    await Promise.all([n.ready(), n.ready()]);
    await n.ready();
    expect(r.sent()).toEqual(["READY=1"]);
    await n.stopping();
    await n.stopping();
    await n.watchdog();
    await n.ready();
    await n.status("stopping");
    expect(r.sent()).toEqual(["READY=1", "STOPPING=1", "STATUS=stopping"]);
  });

  it("rate-limits WATCHDOG=1 to once per WATCHDOG_USEC/2 on a monotonic clock", async () => {
    const r = recorder();
    let now = 1_000;
    const n = notifier({ ...SOCKET, WATCHDOG_USEC: "60000000", WATCHDOG_PID: String(PID) }, r.exec, { nowMs: () => now });
    expect(n.watchdogMinIntervalMs).toBe(30_000);
    const pingsAt: number[] = [];
    // A cycle every 10 s for 2 minutes.
    for (let t = 0; t <= 120_000; t += 10_000) {
      now = 1_000 + t;
      const before = r.calls.length;
      await n.watchdog();
      if (r.calls.length > before) pingsAt.push(t);
    }
    expect(pingsAt).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
    // Just under half the period: no ping; at exactly half: a ping.
    now = 1_000 + 120_000 + 29_999;
    await n.watchdog();
    expect(r.calls.length).toBe(5);
    now = 1_000 + 120_000 + 30_000;
    await n.watchdog();
    expect(r.calls.length).toBe(6);
    expect(r.sent().every((m) => m === "WATCHDOG=1")).toBe(true);
  });

  it("without WATCHDOG_USEC pings after every cycle; a WATCHDOG_PID of another process means no pings", async () => {
    const r = recorder();
    const every = notifier({ ...SOCKET }, r.exec, { nowMs: () => 0 });
    expect(every.watchdogMinIntervalMs).toBe(0);
    await every.watchdog();
    await every.watchdog();
    expect(r.sent()).toEqual(["WATCHDOG=1", "WATCHDOG=1"]);
    const other = recorder();
    const notOurs = notifier({ ...SOCKET, WATCHDOG_USEC: "60000000", WATCHDOG_PID: "1" }, other.exec);
    expect(notOurs.watchdogMinIntervalMs).toBeNull();
    await notOurs.watchdog();
    await notOurs.ready();
    expect(other.sent()).toEqual(["READY=1"]);
  });

  it("a missing systemd-notify is logged once, then nothing is tried again", async () => {
    const r = recorder(() => Object.assign(new Error("spawn systemd-notify ENOENT"), { code: "ENOENT" }));
    const l = logRecorder();
    const n = notifier({ ...SOCKET, WATCHDOG_USEC: "60000000" }, r.exec, { log: l.log, nowMs: () => 0 });
    // The first cycle sends three messages at once; all three find no binary.
    await Promise.all([n.ready(), n.watchdog(), n.status("mode rule: no plan yet")]);
    await n.watchdog();
    await n.stopping();
    expect(r.calls.length).toBe(3);
    expect(l.lines.length).toBe(1);
    expect(l.lines[0]!.obj.event).toBe("systemd_notify_failed");
    expect(l.lines[0]!.msg).toMatch(/^systemd-notify not found/);
  });

  it("a failing systemd-notify is logged once per reason; READY and WATCHDOG are tried again at the next call", async () => {
    let failing = true;
    const r = recorder((args) => (failing ? Object.assign(new Error(`Command failed: systemd-notify ${args.join(" ")}\nFailed to notify init system: Connection refused\n`), { code: 1 }) : null));
    const l = logRecorder();
    let now = 0;
    const n = notifier({ ...SOCKET, WATCHDOG_USEC: "60000000" }, r.exec, { log: l.log, nowMs: () => now });
    await n.ready();
    await n.ready();
    await n.watchdog();
    now = 10_000;
    await n.watchdog();
    expect(r.sent()).toEqual(["READY=1", "READY=1", "WATCHDOG=1", "WATCHDOG=1"]);
    expect(l.lines.length).toBe(1);
    expect(l.lines[0]!.msg).toBe("systemd-notify failed: Failed to notify init system: Connection refused");
    expect(l.lines[0]!.obj).toMatchObject({ event: "systemd_notify_failed", message: "READY" });
    failing = false;
    await n.ready();
    await n.ready();
    now = 20_000;
    await n.watchdog();
    now = 25_000;
    await n.watchdog();
    expect(r.sent().slice(4)).toEqual(["READY=1", "WATCHDOG=1"]);
  });

  it("by default runs the systemd-notify found on the given environment's PATH, with that environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-sd-"));
    try {
      const out = join(dir, "got.txt");
      // A stand-in for systemd-notify: records the socket it would send to and its arguments, one line per run.
      writeFileSync(join(dir, "systemd-notify"), `#!/bin/sh\nprintf '%s|%s\\n' "$NOTIFY_SOCKET" "$*" >> '${out}'\n`);
      chmodSync(join(dir, "systemd-notify"), 0o755);
      const n = new SystemdNotifier({ env: { NOTIFY_SOCKET: "/run/test/notify", PATH: dir }, pid: PID });
      await n.ready();
      await n.status("mode optimal: plan made 0 s ago (start)");
      expect(readFileSync(out, "utf8")).toBe("/run/test/notify|--pid=4242 READY=1\n/run/test/notify|--pid=4242 STATUS=mode optimal: plan made 0 s ago (start)\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("follows the daemon's status: READY and WATCHDOG when a cycle completes, STATUS on mode changes only", async () => {
    const r = recorder();
    let now = 0;
    const n = notifier({ ...SOCKET, WATCHDOG_USEC: "60000000" }, r.exec, { nowMs: () => now });
    const status$ = new BehaviorSubject<Pick<DaemonStatus, "cycles" | "mode" | "modeCause"> & { planInFlight: boolean }>({ cycles: 0, mode: "rule", modeCause: "starting", planInFlight: false });
    const sub = notifySystemd(status$, n);
    const next = async (p: Partial<{ cycles: number; mode: DaemonStatus["mode"]; modeCause: string; planInFlight: boolean }>) => {
      status$.next({ ...status$.value, ...p });
      await new Promise((res) => setTimeout(res, 0));
    };
    await next({});
    await next({ modeCause: "waiting for measurements: dc.it_heat_kw comm_error since 2026-01-12T00:00:00.000Z" });
    await next({ modeCause: "waiting for measurements: dc.it_heat_kw comm_error since 2026-01-12T00:00:00.000Z" });
    expect(r.sent()).toEqual(["STATUS=starting", "STATUS=starting: waiting for measurements: dc.it_heat_kw comm_error since 2026-01-12T00:00:00.000Z"]);
    r.calls.length = 0;
    await next({ planInFlight: true });
    expect(r.sent()).toEqual([]);
    await next({ planInFlight: false, cycles: 1, mode: "optimal", modeCause: "plan made 0 s ago (start)" });
    expect(r.sent()).toEqual(["READY=1", "WATCHDOG=1", "STATUS=mode optimal: plan made 0 s ago (start)"]);
    r.calls.length = 0;
    now = 10_000;
    await next({ cycles: 2, modeCause: "plan made 10 s ago (start)" });
    await next({ planInFlight: true });
    now = 30_000;
    await next({ cycles: 3, mode: "held", modeCause: "solver: timeout" });
    await next({ cycles: 4, mode: "held", modeCause: "no new plan for 1 min" });
    expect(r.sent()).toEqual(["WATCHDOG=1", "STATUS=mode held: solver: timeout"]);
    sub.unsubscribe();
    await next({ cycles: 5, mode: "rule" });
    expect(r.sent()).toEqual(["WATCHDOG=1", "STATUS=mode held: solver: timeout"]);
  });
});

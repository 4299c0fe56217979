import { execFile } from "node:child_process";
import type { Observable, Subscription } from "rxjs";
import type { DaemonStatus } from "./cycle.ts";

/**
 * systemd's service notifications (sd_notify(3)) without a native module. Node's dgram has no unix datagram
 * sockets, so each message is one run of `systemd-notify --pid=<our pid> VAR=VALUE`; the unit needs
 * `NotifyAccess=all`, as the sender is that short-lived child, not the main process. systemd-notify waits until
 * systemd has taken the message (its barrier), so the message is attributed to the unit although the child exits
 * at once; never pass `--no-block`.
 *
 * Nothing is sent unless systemd started us with a notification socket (NOTIFY_SOCKET). READY=1 once (after the
 * first cycle), WATCHDOG=1 after completed cycles (at most once per WATCHDOG_USEC/2 when systemd set it),
 * STOPPING=1 at stop, STATUS=… on mode changes. A missing systemd-notify is logged once, then nothing is tried
 * again; any other failure is logged once per distinct reason, and a failed READY or WATCHDOG is tried again at
 * the next call. The methods never reject: callers may `void` them.
 */

export const SYSTEMD_NOTIFY = "systemd-notify";

/** Runs a program with its arguments and calls back when it has ended (node's execFile, or a test's fake). */
export type ExecFn = (file: string, args: string[], done: (err: (Error & { code?: unknown }) | null) => void) => void;

/** The one log call this module makes (a pino Logger fits). */
export interface NotifyLog {
  warn(obj: object, msg: string): void;
}

export interface SystemdNotifierOptions {
  /** Where NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The PID systemd knows as the service's main process (default process.pid). */
  pid?: number;
  exec?: ExecFn;
  /** A monotonic clock in ms for the watchdog's rate limit (default performance.now). */
  nowMs?: () => number;
  log?: NotifyLog;
}

/** node's execFile with the notifier's environment; systemd-notify waits at most 5 s for systemd, past 10 s it is stopped. */
function execWith(env: NodeJS.ProcessEnv): ExecFn {
  return (file, args, done) => {
    execFile(file, args, { env, timeout: 10_000, windowsHide: true }, (err) => done(err));
  };
}

export class SystemdNotifier {
  /** Whether systemd gave us a notification socket: without one, every method does nothing. */
  readonly enabled: boolean;
  /**
   * Least time between two WATCHDOG=1 (ms): half of WATCHDOG_USEC, or 0 without it (a ping after every cycle);
   * null when WATCHDOG_PID names another process (the watchdog is not ours: no pings at all).
   */
  readonly watchdogMinIntervalMs: number | null;
  readonly #pid: number;
  readonly #exec: ExecFn;
  readonly #nowMs: () => number;
  readonly #log: NotifyLog | undefined;
  #readySent = false;
  #stopping = false;
  #missing = false;
  #lastWatchdogMs: number | null = null;
  readonly #logged = new Set<string>();

  constructor(o: SystemdNotifierOptions = {}) {
    const env = o.env ?? process.env;
    this.#pid = o.pid ?? process.pid;
    // systemd-notify reads NOTIFY_SOCKET from its environment: the one this notifier was given.
    this.#exec = o.exec ?? execWith(env);
    this.#nowMs = o.nowMs ?? (() => performance.now());
    this.#log = o.log;
    this.enabled = Boolean(env.NOTIFY_SOCKET);
    const usec = Number(env.WATCHDOG_USEC);
    const forOther = env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== "" && env.WATCHDOG_PID !== String(this.#pid);
    this.watchdogMinIntervalMs = forOther ? null : Number.isSafeInteger(usec) && usec > 0 ? usec / 2000 : 0;
  }

  /** READY=1, once: start-up is complete (systemd then starts the watchdog's clock). */
  async ready(): Promise<void> {
    if (this.#readySent || this.#stopping) return;
    this.#readySent = true;
    if (!(await this.#send("READY=1"))) this.#readySent = false;
  }

  /** WATCHDOG=1: a cycle has completed. Rate-limited to once per WATCHDOG_USEC/2. */
  async watchdog(): Promise<void> {
    if (this.watchdogMinIntervalMs === null || this.#stopping) return;
    const now = this.#nowMs();
    const last = this.#lastWatchdogMs;
    if (last !== null && now - last < this.watchdogMinIntervalMs) return;
    this.#lastWatchdogMs = now;
    if (!(await this.#send("WATCHDOG=1")) && this.#lastWatchdogMs === now) this.#lastWatchdogMs = last;
  }

  /** STOPPING=1, once: the graceful stop has begun (no READY or WATCHDOG after it). */
  async stopping(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    await this.#send("STOPPING=1");
  }

  /** STATUS=…: one line shown by `systemctl status chaleur`. */
  async status(text: string): Promise<void> {
    await this.#send(`STATUS=${text.replace(/\s*[\r\n]+\s*/g, " ").trim()}`);
  }

  /** Sends one assignment; resolves whether systemd-notify succeeded (true when there is nothing to send to). */
  #send(assignment: string): Promise<boolean> {
    if (!this.enabled || this.#missing) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#exec(SYSTEMD_NOTIFY, [`--pid=${this.#pid}`, assignment], (err) => {
        if (!err) return resolve(true);
        if (err.code === "ENOENT") {
          // Several messages may be in flight when the first ENOENT comes back: one line for all of them.
          if (!this.#missing) this.#log?.warn({ event: "systemd_notify_failed", error: `${SYSTEMD_NOTIFY} not found` }, `${SYSTEMD_NOTIFY} not found: systemd is not told that chaleur is ready or alive (under Type=notify the start times out; with WatchdogSec the service is killed)`);
          this.#missing = true;
          return resolve(true);
        }
        // execFile's message is "Command failed: <command line>" then systemd-notify's stderr: the reason is the latter.
        const lines = err.message.split("\n").map((l) => l.trim()).filter((l) => l !== "");
        const why = (lines.length > 1 && lines[0]!.startsWith("Command failed:") ? lines.slice(1) : lines).join("; ");
        if (!this.#logged.has(why)) {
          this.#logged.add(why);
          this.#log?.warn({ event: "systemd_notify_failed", message: assignment.split("=")[0], error: why }, `${SYSTEMD_NOTIFY} failed: ${why}`);
        }
        resolve(false);
      });
    });
  }
}

/**
 * Feeds systemd from the daemon's status: READY and WATCHDOG whenever the cycle count goes up (a cycle has
 * completed), STATUS when the mode changes (while no cycle has completed yet, when the starting cause changes).
 */
export function notifySystemd(status$: Observable<Pick<DaemonStatus, "cycles" | "mode" | "modeCause">>, n: SystemdNotifier): Subscription {
  let cycles = 0;
  let shown: string | null = null;
  return status$.subscribe((s) => {
    if (s.cycles > cycles) {
      cycles = s.cycles;
      void n.ready();
      void n.watchdog();
    }
    const text = s.cycles > 0 ? `mode ${s.mode}: ${s.modeCause}` : s.modeCause.startsWith("starting") ? s.modeCause : `starting: ${s.modeCause}`;
    const key = s.cycles > 0 ? s.mode : text;
    if (key !== shown) {
      shown = key;
      void n.status(text);
    }
  });
}

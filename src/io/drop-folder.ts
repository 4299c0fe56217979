/**
 * The forecast drop folder (DESIGN §4 "Forecasts"): price and weather files put in a folder by a person or a
 * script (an ENTSO-E export, an EPW, a `time,<quantity>` CSV), read with parseDropFile.
 *
 * Polled, not watched: fs.watch misses changes on network mounts (NFS, SMB), where such folders usually live.
 * A file version is its name, mtime and size; each version is read once, and a rejected version is reported
 * once through `onProblem` (the daemon logs it). A poll never throws: a missing folder, an unreadable, vanishing
 * or oversized file is one problem line, and the last good series stay in force.
 *
 * Per quantity the folder keeps the newest dated series (ENTSO-E or CSV) and the newest typical year (EPW):
 * `current(nowMs)` gives the dated one while it covers the present, the typical year otherwise.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseDropFile, type DropKind, type DropProblem, type DropQuantity, type DropSeries } from "../forecast/drop-file.ts";

export interface DropFolderOptions {
  dir: string;
  /** The controller's clock (plant time in the demo): received times, ages and the year an EPW is placed on. */
  nowMs: () => number;
  /** Told each problem once (per file version, or per folder condition). */
  onProblem: (p: DropProblem) => void;
  /** The file system's clock, to judge mtimes (default Date.now): the controller's may be accelerated or simulated. */
  fileClockMs?: () => number;
  /** Seconds between polls (default 30). */
  pollS?: number;
  /** A file modified less than this many seconds ago may still be being written: it is read at a later poll (default 2). */
  settleS?: number;
  /** Larger files are refused unread (default 20 MB; a year of 15-min prices is under 2 MB). */
  maxBytes?: number;
}

export interface DropCurrent {
  series: DropSeries;
  /** Path of the file the newest values came from. */
  file: string;
  kind: DropKind;
  /** Controller time at which the file was accepted. */
  receivedAtMs: number;
  ageS: number;
}

interface Held {
  series: DropSeries;
  /** File name in the folder, and its path. */
  name: string;
  file: string;
  kind: DropKind;
  receivedAtMs: number;
  mtimeMs: number;
  toMs: number;
}

const HOUR_MS = 3_600_000;
/** Past values kept when a newer file is joined to an older one: enough for a plan that started yesterday. */
const KEEP_PAST_MS = 48 * HOUR_MS;
/** An EPW placed on this year and the next is placed again when its coverage gets this close to its end. */
const EPW_RENEW_MS = 30 * 24 * HOUR_MS;
// Hidden files and the temporary names of copy tools (rsync's .name.XXXXXX, browsers' .part, editors' ~).
const IGNORED_NAME = /^\.|\.(part|partial|tmp|crdownload|swp)$|~$/i;

const endMs = (s: DropSeries): number => s.startMs + s.values.length * s.stepS * 1000;

function errorText(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") return "it vanished while being read";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}

/**
 * `next` newer than `cur` joined after what `cur` holds before `next` starts, when the two meet on one grid:
 * today's day-ahead prices stay in force when tomorrow's file arrives alone.
 */
function joined(cur: Held | undefined, next: Held, nowMs: number): Held {
  if (!cur) return next;
  const a = cur.series, b = next.series;
  const stepMs = a.stepS * 1000;
  if (a.stepS !== b.stepS || a.startMs >= b.startMs || cur.toMs < b.startMs || (b.startMs - a.startMs) % stepMs !== 0) return next;
  const from = Math.max(0, Math.floor((nowMs - KEEP_PAST_MS - a.startMs) / stepMs));
  const to = (b.startMs - a.startMs) / stepMs;
  if (from >= to) return next;
  return { ...next, series: { startMs: a.startMs + from * stepMs, stepS: a.stepS, values: [...a.values.slice(from, to), ...b.values] } };
}

export class DropFolder {
  private readonly o: Required<DropFolderOptions>;
  /** name → version ("mtime:size") already read, accepted or rejected. */
  private readonly done = new Map<string, string>();
  /** name → version whose read failure was reported (retried each poll, reported once). */
  private readonly failed = new Map<string, string>();
  /** name → version first seen unsettled, and when (file clock): see settled(). */
  private readonly pending = new Map<string, { version: string; sinceMs: number }>();
  private readonly held = new Map<DropQuantity, { dated?: Held; typical?: Held }>();
  private folderProblem: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(opts: DropFolderOptions) {
    this.o = { fileClockMs: Date.now, pollS: 30, settleS: 2, maxBytes: 20 * 1024 * 1024, ...opts };
  }

  /** Polls now and then every pollS seconds. The timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    void this.pollOnce();
    this.timer = setInterval(() => void this.pollOnce(), this.o.pollS * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One poll; a poll still running (a slow network mount) is joined rather than overlapped. Never rejects. */
  pollOnce(): Promise<void> {
    this.inFlight ??= this.poll()
      .catch((e: unknown) => this.report({ file: this.o.dir, message: `${this.o.dir}: drop folder poll failed (${errorText(e)})` }))
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Per quantity, the series to use at `nowMs`: the dated one while it covers now, else the typical year, else what there is. */
  current(nowMs: number): Partial<Record<DropQuantity, DropCurrent>> {
    // An hour's slack at the start, as plant-forecast allows: a forecast published for the coming hour counts.
    const covers = (h: Held | undefined): h is Held => h !== undefined && h.series.startMs <= nowMs + HOUR_MS && h.toMs > nowMs;
    const out: Partial<Record<DropQuantity, DropCurrent>> = {};
    for (const [q, { dated, typical }] of this.held) {
      const h = covers(dated) ? dated : covers(typical) ? typical : (dated ?? typical);
      if (h) out[q] = { series: h.series, file: h.file, kind: h.kind, receivedAtMs: h.receivedAtMs, ageS: (nowMs - h.receivedAtMs) / 1000 };
    }
    return out;
  }

  private report(p: DropProblem): void {
    try {
      this.o.onProblem(p);
    } catch {
      // The logger failing must not stop the folder being read.
    }
  }

  /** A folder-level condition, reported when it starts or changes, forgotten when it clears. */
  private folder(message: string | null): void {
    if (message !== null && message !== this.folderProblem) this.report({ file: this.o.dir, message });
    this.folderProblem = message;
  }

  private async poll(): Promise<void> {
    const dir = this.o.dir;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      this.folder(
        code === "ENOENT" ? `${dir}: the drop folder does not exist (yet); no forecast file read`
        : code === "ENOTDIR" ? `${dir}: the drop folder is not a folder`
        : `${dir}: the drop folder cannot be read (${errorText(e)})`,
      );
      return;
    }
    this.folder(null);
    const present = new Set(names);
    for (const m of [this.done, this.failed, this.pending]) for (const n of m.keys()) if (!present.has(n)) m.delete(n);
    this.renewTypicalYears();
    for (const name of names.sort()) if (!IGNORED_NAME.test(name)) await this.consider(name);
  }

  /** An EPW near the end of the two years it was placed on is read again, to be placed on the years around now. */
  private renewTypicalYears(): void {
    const now = this.o.nowMs();
    for (const { typical } of this.held.values()) {
      if (typical && typical.toMs - now < EPW_RENEW_MS) this.done.delete(typical.name);
    }
  }

  /**
   * Whether a version may be read: modified settleS ago by the file clock, or, for a file server whose clock runs
   * ahead of ours, seen unchanged for settleS of our time.
   */
  private settled(name: string, version: string, mtimeMs: number): boolean {
    const now = this.o.fileClockMs();
    const settleMs = this.o.settleS * 1000;
    const p = this.pending.get(name);
    if (now - mtimeMs >= settleMs || (p?.version === version && now - p.sinceMs >= settleMs)) {
      this.pending.delete(name);
      return true;
    }
    if (p?.version !== version) this.pending.set(name, { version, sinceMs: now });
    return false;
  }

  private async consider(name: string): Promise<void> {
    const path = join(this.o.dir, name);
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      // Gone between the listing and now: nothing to read and nothing wrong. Anything else (a symlink loop) is said once.
      if ((e as { code?: unknown }).code !== "ENOENT" && this.failed.get(name) !== "stat") {
        this.failed.set(name, "stat");
        this.report({ file: path, message: `${path}: cannot be examined (${errorText(e)}); skipped` });
      }
      return;
    }
    if (!st.isFile()) return; // folders, FIFOs (a read would block), sockets
    const version = `${st.mtimeMs}:${st.size}`;
    if (this.done.get(name) === version || !this.settled(name, version, st.mtimeMs)) return;
    if (st.size > this.o.maxBytes) {
      this.done.set(name, version);
      const size = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${b} bytes`);
      this.report({ file: path, message: `${path}: ${size(st.size)} is over the ${size(this.o.maxBytes)} limit for a drop file; not read` });
      return;
    }
    let text: string;
    try {
      text = await readFile(path, "utf8");
      // Changed while being read (a writer still appending): read it again once it settles.
      const again = await stat(path);
      if (`${again.mtimeMs}:${again.size}` !== version) return;
    } catch (e) {
      if (this.failed.get(name) !== version) {
        this.failed.set(name, version);
        this.report({ file: path, message: `${path}: could not be read (${errorText(e)}); skipped` });
      }
      return;
    }
    this.done.set(name, version);
    this.failed.delete(name);
    const result = parseDropFile(text, path, { nowMs: this.o.nowMs() });
    if (!result.ok) {
      for (const p of result.problems) this.report(p);
      return;
    }
    const receivedAtMs = this.o.nowMs();
    for (const [q, series] of Object.entries(result.series) as [DropQuantity, DropSeries][]) {
      const h: Held = { series, name, file: path, kind: result.kind, receivedAtMs, mtimeMs: st.mtimeMs, toMs: endMs(series) };
      const slot = this.held.get(q) ?? {};
      if (h.kind === "epw") {
        if (!slot.typical || h.mtimeMs >= slot.typical.mtimeMs) slot.typical = h;
      } else if (!slot.dated || h.toMs > slot.dated.toMs || (h.toMs === slot.dated.toMs && h.mtimeMs >= slot.dated.mtimeMs)) {
        // Newest = reaching furthest ahead; for the same reach (a corrected re-issue), the later-modified file.
        slot.dated = joined(slot.dated, h, receivedAtMs);
      }
      this.held.set(q, slot);
    }
  }
}

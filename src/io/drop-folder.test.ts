import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DropProblem } from "../forecast/drop-file.ts";
import { DropFolder, type DropFolderOptions } from "./drop-folder.ts";

const REAL_EPW = fileURLToPath(new URL("../../simulations/data/weather-brussels-uccle-tmyx.epw", import.meta.url));
const HOUR = 3_600_000;
/** Controller time (plant time): the forecasts are about this day. */
const T0 = Date.UTC(2026, 0, 12, 10);
/** The file system's time, deliberately another year: mtimes are judged on it, never on the controller's clock. */
const WALL = Date.UTC(2030, 5, 1, 12);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-drop-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A folder on a controlled clock pair; `problems` collects what onProblem was told. */
function folder(extra: Partial<DropFolderOptions> = {}) {
  const clock = { now: T0, wall: WALL };
  const problems: DropProblem[] = [];
  const f = new DropFolder({ dir, nowMs: () => clock.now, fileClockMs: () => clock.wall, onProblem: (p) => problems.push(p), ...extra });
  return { f, clock, problems };
}
/** Writes a file and sets its mtime (ms on the file clock; default a minute ago, i.e. settled). */
function drop(name: string, text: string, mtimeMs = WALL - 60_000): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  utimesSync(path, mtimeMs / 1000, mtimeMs / 1000);
  return path;
}
/** An hourly `time,<column>` CSV in UTC from `startMs`. */
const csv = (column: string, startMs: number, values: number[]) =>
  [`time,${column}`, ...values.map((v, i) => `${new Date(startMs + i * HOUR).toISOString()},${v}`)].join("\n") + "\n";
const hours = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("DropFolder", () => {
  it("accepts a good file and serves it with its file, received time and age", async () => {
    const { f, clock, problems } = folder();
    const prices = hours(24, (i) => 40 + i);
    const path = drop("prices.csv", csv("price_el_eur_mwh", T0 - HOUR, prices));
    await f.pollOnce();
    clock.now += 90_000;
    expect(f.current(clock.now)).toEqual({
      price_el_eur_mwh: { series: { startMs: T0 - HOUR, stepS: 3600, values: prices }, file: path, kind: "csv", receivedAtMs: T0, ageS: 90 },
    });
    expect(problems).toEqual([]);
  });

  it("never lets a rejected file replace a good one, and reports each rejected version once", async () => {
    const { f, problems } = folder();
    const good = drop("a.csv", csv("outdoor_temp_c", T0, hours(24, () => 5)), WALL - 120_000);
    // Newer and reaching further, but with a hole at line 4 (02:00 missing).
    const holed = csv("outdoor_temp_c", T0, hours(48, () => 6)).split("\n").filter((_, i) => i !== 3).join("\n");
    const bad = drop("b.csv", holed);
    await f.pollOnce();
    await f.pollOnce();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: bad, line: 4 });
    expect(problems[0]!.message).toMatch(new RegExp(`^${bad}: line 4: hole: `));
    expect(f.current(T0).outdoor_temp_c).toMatchObject({ file: good, series: { values: hours(24, () => 5) } });

    // A new version of the bad file is judged (and reported) again; the good file turned bad keeps its last good series.
    drop("b.csv", holed.replace(",6\n", ",600\n"), WALL - 30_000);
    drop("a.csv", "time,outdoor_temp_c\nnonsense\n", WALL - 30_000);
    await f.pollOnce();
    await f.pollOnce();
    expect(problems.map((p) => [p.file, p.line])).toEqual([[bad, 4], [good, 2], [bad, 2], [bad, 4]]);
    expect(f.current(T0).outdoor_temp_c).toMatchObject({ file: good, series: { values: hours(24, () => 5) } });
  });

  it("replaces a series by a newer good file: one reaching further, or a correction of the same hours", async () => {
    const { f, clock } = folder();
    drop("a.csv", csv("price_el_eur_mwh", T0, hours(24, () => 50)), WALL - 300_000);
    await f.pollOnce();
    const b = drop("b.csv", csv("price_el_eur_mwh", T0, hours(48, () => 60)), WALL - 200_000);
    clock.now += 1000;
    await f.pollOnce();
    expect(f.current(clock.now).price_el_eur_mwh).toMatchObject({ file: b, receivedAtMs: T0 + 1000, series: { values: hours(48, () => 60) } });
    const c = drop("c.csv", csv("price_el_eur_mwh", T0, hours(48, () => 70)), WALL - 100_000);
    await f.pollOnce();
    expect(f.current(clock.now).price_el_eur_mwh).toMatchObject({ file: c, series: { values: hours(48, () => 70) } });
    // An older-looking file (copied with its mtime kept) reaching less far does not displace it.
    drop("old.csv", csv("price_el_eur_mwh", T0, hours(24, () => 1)), WALL - 400_000);
    await f.pollOnce();
    expect(f.current(clock.now).price_el_eur_mwh!.file).toBe(c);
  });

  it("keeps today's remaining hours when tomorrow's file arrives alone", async () => {
    const { f } = folder();
    const start = T0 - 10 * HOUR;
    drop("today.csv", csv("price_el_eur_mwh", start, hours(24, (i) => i)), WALL - 200_000);
    const tomorrow = drop("tomorrow.csv", csv("price_el_eur_mwh", start + 24 * HOUR, hours(24, (i) => 100 + i)), WALL - 100_000);
    await f.pollOnce();
    const p = f.current(T0).price_el_eur_mwh!;
    expect(p.file).toBe(tomorrow);
    expect(p.series).toEqual({ startMs: start, stepS: 3600, values: [...hours(24, (i) => i), ...hours(24, (i) => 100 + i)] });
  });

  it("does not read a file still being written until it has settled", async () => {
    const { f, clock, problems } = folder();
    drop("w.csv", "time,outdoor_temp_c\n2026-01-12T10:00Z,4\n2026-01-12T11", WALL - 1000);
    await f.pollOnce();
    await f.pollOnce();
    expect(f.current(T0)).toEqual({});
    drop("w.csv", csv("outdoor_temp_c", T0, [4, 5]), WALL - 500); // the writer finishes
    clock.wall += 3000;
    await f.pollOnce();
    expect(f.current(T0).outdoor_temp_c!.series.values).toEqual([4, 5]);
    expect(problems).toEqual([]);
  });

  it("reads a file stamped in the future (a file server's clock ahead) once it is unchanged for settleS", async () => {
    const { f, clock } = folder();
    drop("ahead.csv", csv("outdoor_temp_c", T0, [1, 2]), WALL + 600_000);
    await f.pollOnce();
    expect(f.current(T0)).toEqual({});
    clock.wall += 2500;
    await f.pollOnce();
    expect(f.current(T0).outdoor_temp_c!.series.values).toEqual([1, 2]);
  });

  it("reports a missing folder once, not as a crash, and reads it once it exists", async () => {
    dir = join(dir, "not-yet");
    const { f, problems } = folder();
    await f.pollOnce();
    await f.pollOnce();
    expect(problems.map((p) => p.message)).toEqual([`${dir}: the drop folder does not exist (yet); no forecast file read`]);
    mkdirSync(dir);
    drop("t.csv", csv("outdoor_temp_c", T0, [3, 4]));
    await f.pollOnce();
    expect(f.current(T0).outdoor_temp_c!.series.values).toEqual([3, 4]);
    expect(problems).toHaveLength(1);
  });

  it("turns an oversized file, a symlink loop and a throwing logger into problem lines; skips FIFOs and temporary names", async () => {
    let told = 0;
    const { f, problems } = folder({ maxBytes: 200 });
    const onProblem = (p: DropProblem) => {
      problems.push(p);
      told++;
      throw new Error("logger down");
    };
    const g = new DropFolder({ dir, nowMs: () => T0, fileClockMs: () => WALL, maxBytes: 200, onProblem });
    const big = drop("big.csv", csv("outdoor_temp_c", T0, hours(30, () => 1)));
    const loop = join(dir, "loop.csv");
    symlinkSync(loop, loop);
    execFileSync("mkfifo", [join(dir, "pipe.csv")]); // a read would block for ever
    drop(".hidden.csv", "garbage");
    drop("prices.csv.part", "garbage");
    mkdirSync(join(dir, "sub.csv"));
    for (const x of [f, f, g]) await expect(x.pollOnce()).resolves.toBeUndefined();
    const twice = [`${big}: ${statSync(big).size} bytes is over the 200 bytes limit for a drop file; not read`, `${loop}: cannot be examined (ELOOP); skipped`];
    expect(problems.map((p) => p.message)).toEqual([...twice, ...twice]); // f once for its two polls, then g
    expect(told).toBe(2); // the throwing logger was told both, and the poll went on
    expect(f.current(T0)).toEqual({});
  });

  it("serves an EPW typical year when no dated forecast covers the present", async () => {
    const { f, problems } = folder();
    copyFileSync(REAL_EPW, join(dir, "uccle.epw"));
    utimesSync(join(dir, "uccle.epw"), (WALL - 60_000) / 1000, (WALL - 60_000) / 1000);
    const forecast = drop("temp.csv", csv("outdoor_temp_c", T0, hours(24, () => 7)));
    await f.pollOnce();
    expect(problems).toEqual([]);
    const now = f.current(T0);
    expect(now.outdoor_temp_c).toMatchObject({ file: forecast, kind: "csv" });
    expect(now.solar_w_m2).toMatchObject({ kind: "epw", series: { startMs: Date.UTC(2026, 0, 1), stepS: 3600 } });
    expect(f.current(T0 + 30 * HOUR).outdoor_temp_c).toMatchObject({ kind: "epw" });
  });

  it("start() polls on its timer and stop() ends it", async () => {
    const { f } = folder({ pollS: 0.02 });
    f.start();
    drop("t.csv", csv("outdoor_temp_c", T0, [8, 9]));
    for (let i = 0; i < 100 && !f.current(T0).outdoor_temp_c; i++) await new Promise((r) => setTimeout(r, 10));
    f.stop();
    expect(f.current(T0).outdoor_temp_c!.series.values).toEqual([8, 9]);
  });
});

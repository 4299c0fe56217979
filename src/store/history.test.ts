import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sample } from "../io/types.ts";
import type { Mode } from "../control/types.ts";
import { openReadableHistory, openWritableHistory } from "./history.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
import { appendChainedAudit } from "./audit-chain.ts";
import type { CycleFacts } from "./types.ts";

const RUN = { startedWallMs: 0, pid: 1, version: "test", config: "test.yaml", model: "test" };
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "chaleur-store-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sample(value: number, timeMs: number, quality: Sample["quality"] = "good"): Sample {
  return { value, quality, sourceMs: timeMs, receivedMs: timeMs };
}

function facts(timeMs: number, it: number, mode: Mode = "optimal", durationS = 10): CycleFacts {
  return {
    timeMs,
    samples: new Map([
      ["dc.it_heat_kw", sample(it, timeMs)],
      ["weather.outdoor_temp_c", sample(5, timeMs, timeMs % 20_000 === 0 ? "stale" : "good")],
    ]),
    record: { timeMs, durationS, mode, hpStarts: 0, values: { it_heat_kw: it, dump_kw: Number.NaN } },
    cause: "test",
    planMadeAtMs: mode === "optimal" ? timeMs - 5000 : null,
    reports: [{ plc: "hp", ok: true, written: { a: 1 }, readBack: { a: 1 }, mismatches: [], ms: 1 }],
    cycleMs: 3,
  };
}

describe("history store", () => {
  it("keeps every committed cycle and gives back what was written", () => {
    const file = join(tmp(), "h.sqlite");
    const h = openWritableHistory(file, RUN);
    expect(h.migration).toBe("created");
    const t0 = Date.UTC(2026, 0, 5);
    for (let i = 0; i < 360; i++) h.writer.cycle(facts(t0 + i * 10_000, 900 + (i % 7)));
    h.writer.plan({ madeAtMs: t0, trigger: "start", status: "optimal", objectiveEur: 12.5, solver: "highs", solveMs: 40, gapPct: 0.1, message: null, plan: { objectiveEur: 12.5, steps: [] } });
    h.writer.cycle(facts(t0 + 360 * 10_000, 901));
    h.close();
    const r = openReadableHistory(file);
    const cycles = [...r.reader.cycles(t0, t0 + 4 * 3_600_000)];
    expect(cycles).toHaveLength(361);
    expect(cycles[5]!.values[0]).toBe(900 + 5);
    expect(Number.isNaN(cycles[5]!.values[1]!)).toBe(true);
    expect(cycles[5]!.names).toEqual(["it_heat_kw", "dump_kw"]);
    expect(r.reader.lastVerifiedPlan()?.objectiveEur).toBe(12.5);
    // The hourly mean from the raw rows, against the mean computed here from the inputs.
    const hour = r.reader.hourlyMeans("dc.it_heat_kw", t0, t0 + 3_600_000);
    let s = 0;
    for (let i = 0; i < 360; i++) s += 900 + (i % 7);
    expect(hour.values[0]).toBeCloseTo(s / 360, 9);
    // Stale samples are kept (with their quality) but not averaged: every other outdoor sample.
    const outdoor = r.reader.hourlyMeans("weather.outdoor_temp_c", t0, t0 + 3_600_000);
    expect(outdoor.values[0]).toBe(5);
    r.close();
  });

  it("upgrades a database of an older schema version with its rows intact", () => {
    const file = join(tmp(), "old.sqlite");
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!);
    db.pragma("user_version = 1");
    db.prepare("INSERT INTO tags (name) VALUES ('dc.it_heat_kw')").run();
    db.prepare("INSERT INTO measurements VALUES (1, 1000, 42, 0)").run();
    db.close();
    const h = openWritableHistory(file, RUN);
    expect(h.migration).toBe("upgraded from 1");
    h.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.prepare("SELECT value FROM measurements").get()).toEqual({ value: 42 });
    expect(check.prepare("SELECT count(*) AS n FROM audit").get()).toEqual({ n: 0 });
    check.close();
  });

  it("refuses, with one line and the file untouched: a newer schema, garbage, another program's database", () => {
    const d = tmp();
    const newer = join(d, "newer.sqlite");
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const garbage = join(d, "garbage.sqlite");
    writeFileSync(garbage, Buffer.alloc(8192, 7));
    const foreign = join(d, "foreign.sqlite");
    const f = new Database(foreign);
    f.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
    f.close();
    for (const [file, says] of [
      [newer, /written by a newer chaleur/],
      [garbage, /not an SQLite database/],
      [foreign, /SQLite database of something else/],
    ] as const) {
      const before = readFileSync(file);
      expect(() => openWritableHistory(file, RUN)).toThrow(says);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });

  it("refuses a second writer while the first holds the history, and lets it in after", () => {
    const file = join(tmp(), "h.sqlite");
    const a = openWritableHistory(file, RUN);
    expect(() => openWritableHistory(file, RUN)).toThrow(/another chaleur daemon holds/);
    // A reader is welcome beside the writer.
    a.writer.cycle(facts(1_000_000, 900));
    const r = openReadableHistory(file);
    expect(r.reader.lastCycle()?.timeMs).toBe(1_000_000);
    r.close();
    a.close();
    const b = openWritableHistory(file, RUN);
    b.close();
  });

  it("averages each 15 min as it ends, prunes raw rows older than the raw window, in slices, losing no energy", () => {
    const file = join(tmp(), "h.sqlite");
    const h = openWritableHistory(file, RUN, { rawDays: 1, meansDays: 10, forecastDays: 10 });
    const t0 = Date.UTC(2026, 0, 5);
    const n = 6 * 60 * 3; // three hours of 10-s cycles
    let energyKj = 0;
    for (let i = 0; i < n; i++) {
      const it = 800 + ((i * 37) % 200);
      energyKj += it * 10;
      h.writer.cycle(facts(t0 + i * 10_000, it, i % 3 === 0 ? "held" : "optimal"));
    }
    // A day and two hours later, the first two hours are older than the raw window. A zero budget does one bucket
    // per slice: the 12 buckets of the three hours averaged, then the 8 of the first two hours pruned.
    const now = t0 + 86_400_000 + 2 * 3_600_000;
    let slices = 0;
    while (h.idle(now, 0).buckets > 0) slices++;
    expect(slices).toBe(12 + 8);
    const cycles = [...h.reader.cycles(t0, t0 + 3 * 3_600_000)];
    expect(cycles.filter((c) => c.resolution === "15m")).toHaveLength(8);
    expect(cycles.filter((c) => c.resolution === "raw")).toHaveLength(360);
    // Energy through the folded and the raw rows together equals what was recorded.
    const got = cycles.reduce((s, c) => s + c.values[0]! * c.durationS, 0);
    expect(got).toBeCloseTo(energyKj, 6);
    expect(cycles[0]!.mode).toBe("optimal");
    // Hourly means are the same whether read from raw rows or from the 15-min means.
    const hourly = h.reader.hourlyMeans("dc.it_heat_kw", t0, t0 + 3 * 3_600_000);
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let i = k * 360; i < (k + 1) * 360; i++) s += 800 + ((i * 37) % 200);
      expect(hourly.values[k]).toBeCloseTo(s / 360, 9);
    }
    h.close();
  });

  it("keeps the audit log append-only", () => {
    const file = join(tmp(), "h.sqlite");
    const h = openWritableHistory(file, RUN);
    h.close();
    const db = new Database(file);
    appendChainedAudit(db, { timeMs: 1, actor: "ana", action: "override.set", target: "hp1", oldValue: null, newValue: "off", reason: "maintenance" });
    expect(() => db.prepare("UPDATE audit SET actor = 'eve'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    expect(db.prepare("SELECT actor FROM audit").get()).toEqual({ actor: "ana" });
    db.close();
  });
});

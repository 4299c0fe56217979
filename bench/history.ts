import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { timeseriesColumns } from "../src/report/record.ts";
import { openWritableHistory, type WritableHistory } from "../src/store/history.ts";
import type { RetentionConfig } from "../src/store/retention.ts";
import type { Sample, WriteReport } from "../src/io/types.ts";
import type { Plan } from "../src/optimizer/plan-types.ts";
import { createRng } from "../src/physics/random.ts";
import { median, summary } from "./stats.ts";

/**
 * The history at the daemon's write pattern: every cycle one transaction of the demo plant's 25 samples, its
 * timeseries record and three PLCs' setpoints (29 rows); every 15 minutes a plan (36 steps) and its five forecasts.
 * - ingest: rows per second (target ≥ 200,000) and bytes per measurement-day;
 * - year (heavy): a simulated year at 10 s with the default retention (raw 30 days, 15-min means), file < 2 GB.
 */
const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
const tags = cfg.wire.opcua.tags.map((t) => t.measurement);
const columns = timeseriesColumns(cfg.model);
const T0 = Date.parse("2026-01-01T00:00:00Z");
const IO_S = 10;
const PLAN_EVERY = 90; // cycles: 15 min at 10 s

function fakePlan(rng: ReturnType<typeof createRng>, t: number): Plan {
  let ts = t;
  const steps = Array.from({ length: 36 }, (_, k) => {
    const d = k < 16 ? 900 : 3600;
    const s = { timeMs: ts, durationS: d, hps: cfg.model.heatPumps.map((h) => ({ id: h.id, on: rng.next() > 0.5, heatKw: 600 * rng.next(), elecKw: 150 * rng.next(), cop: 3 + rng.next() })), dhSoldKw: 1000 * rng.next(), ghDirectKw: 50 * rng.next(), ghBoostKw: 30 * rng.next(), ghTempC: 18 + 2 * rng.next(), storageChargeKw: 100 * rng.next(), storageDischargeKw: 0, storageEnergyKwh: 2500 + 500 * rng.next(), dumpKw: 200 * rng.next(), chillerKw: 0, itHeatKw: 890 + 10 * rng.next(), priceElEurPerMwh: 80 + 40 * rng.next() };
    ts += d * 1000;
    return s;
  });
  return { objectiveEur: 500 * rng.next(), steps };
}

/** Writes `cycles` cycles from startMs; returns the rows written. */
function writeCycles(h: WritableHistory, startMs: number, cycles: number, seed: number, idle: boolean): number {
  const rng = createRng(seed);
  const reports: WriteReport[] = cfg.maps.map((m) => ({ plc: m.plc, ok: true, written: { a: 1, b: 2, c: 3 }, readBack: { a: 1, b: 2, c: 3 }, mismatches: [], ms: 1 }));
  const samples = new Map<string, Sample>(tags.map((k) => [k, { value: 0, quality: "good", sourceMs: 0, receivedMs: 0 }]));
  const values: Record<string, number> = Object.fromEntries(columns.map((k) => [k, 0]));
  let rows = 0;
  for (let c = 0; c < cycles; c++) {
    const t = startMs + c * IO_S * 1000;
    for (const s of samples.values()) {
      s.value = 100 * rng.next();
      s.sourceMs = t;
      s.receivedMs = t;
    }
    for (const k of columns) values[k] = 100 * rng.next();
    if (c % PLAN_EVERY === 0) {
      h.writer.plan({ madeAtMs: t, trigger: "period", status: "optimal", objectiveEur: 1, solver: "highs", solveMs: 50, gapPct: 0.1, message: null, plan: fakePlan(rng, t) });
      const bounds = Array.from({ length: 37 }, (_, k) => t + k * 900_000);
      h.writer.forecasts(["it_heat_kw", "dh_demand_kw", "outdoor_temp_c", "price_el_eur_mwh", "solar_w_m2"].map((quantity) => ({ issuedMs: t, quantity, source: "learned", boundsMs: bounds, values: bounds.slice(1).map(() => rng.next()) })));
      rows += 6;
    }
    h.writer.cycle({ timeMs: t, samples, record: { timeMs: t, durationS: IO_S, mode: "optimal", hpStarts: 0, values }, cause: "bench", planMadeAtMs: t, reports, cycleMs: 3 });
    rows += tags.length + 1 + reports.length;
    // As the daemon: housekeeping after each cycle (a zero budget still folds one 15-min bucket).
    if (idle) h.idle(t, 0);
  }
  return rows;
}

const run = { startedWallMs: 0, pid: process.pid, version: "bench", config: "bench", model: cfg.model.name };

function fileBytes(file: string): number {
  let b = 0;
  for (const s of ["", "-wal"]) {
    try {
      b += statSync(file + s).size;
    } catch {
      // no WAL after a checkpoint
    }
  }
  return b;
}

export function benchHistoryIngest(runs: number): boolean {
  const rates: number[] = [];
  let bytesPerTagDay = 0;
  for (let r = 0; r < runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), "chaleur-bench-history-"));
    const file = join(dir, "h.sqlite");
    const h = openWritableHistory(file, run);
    const day = 86_400 / IO_S;
    const t0 = performance.now();
    const rows = writeCycles(h, T0, day, r + 1, false);
    const s = (performance.now() - t0) / 1000;
    rates.push(rows / s);
    h.close(); // checkpoints the WAL into the file
    bytesPerTagDay = fileBytes(file) / tags.length;
    rmSync(dir, { recursive: true, force: true });
  }
  const ok = median(rates) >= 200_000;
  console.log(`history-ingest: a day of the demo plant at the daemon's write pattern (${tags.length} samples + record + ${cfg.maps.length} setpoints per cycle, one transaction each; a plan and 5 forecasts every 15 min), ≥ 200,000 rows/s`);
  console.log(`  rows/s: ${summary(rates.map((x) => x / 1000), "k")} ${ok ? "OK" : "UNDER TARGET"}`);
  console.log(`  size: ${(bytesPerTagDay / 1e6).toFixed(2)} MB per measurement-day (the whole raw history of a day divided by ${tags.length} tags; ${((bytesPerTagDay * tags.length) / 1e6).toFixed(1)} MB per plant-day)`);
  return ok;
}

/** days and retention are for trying the bench on a shorter span; the target is a year at the defaults. */
export function benchHistoryYear(days = 365, retention?: RetentionConfig): boolean {
  const dir = mkdtempSync(join(tmpdir(), "chaleur-bench-history-year-"));
  const file = join(dir, "h.sqlite");
  const h = openWritableHistory(file, run, retention);
  const perDay = 86_400 / IO_S;
  const t0 = performance.now();
  let rows = 0;
  const sizes: string[] = [];
  const daySeconds: number[] = [];
  for (let d = 0; d < days; d++) {
    const td = performance.now();
    rows += writeCycles(h, T0 + d * 86_400_000, perDay, d + 1, true);
    daySeconds.push((performance.now() - td) / 1000);
    if (process.env.BENCH_VERBOSE) console.log(`day ${d + 1}: ${daySeconds.at(-1)!.toFixed(2)} s, ${(fileBytes(file) / 1e6).toFixed(0)} MB`);
    if ((d + 1) % Math.max(1, Math.floor(days / 6)) === 0) sizes.push(`day ${d + 1}: ${(fileBytes(file) / 1e6).toFixed(0)} MB`);
  }
  const s = (performance.now() - t0) / 1000;
  h.close();
  const bytes = fileBytes(file);
  rmSync(dir, { recursive: true, force: true });
  const ok = bytes < 2e9;
  console.log(`history-year: a simulated year of the demo plant (${tags.length} tags at ${IO_S} s) with the default retention, < 2 GB`);
  console.log(`  ${rows.toLocaleString("en")} rows in ${s.toFixed(0)} s (${Math.round(rows / s).toLocaleString("en")} rows/s with retention); ${sizes.join(", ")}`);
  console.log(`  file after a year: ${(bytes / 1e6).toFixed(0)} MB ${ok ? "OK" : "OVER TARGET"}`);
  return ok;
}

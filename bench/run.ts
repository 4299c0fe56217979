/**
 * `npm run bench [-- --runs N] [-- --only NAME] [-- --list] [-- --heavy]`: speed and memory targets live here, never
 * in unit tests.
 * Each sample is a fresh `chaleur` process, timed from outside: the wall time a person waits.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { median, summary } from "./stats.ts";
import { benchPlan } from "./plan.ts";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, only: { type: "string" }, heavy: { type: "boolean", default: false }, list: { type: "boolean", default: false } } });
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs >= 1)) {
  console.error(`bench: --runs: expected a whole number ≥ 1 (got '${values.runs}')`);
  process.exit(2);
}
const hasGnuTime = existsSync("/usr/bin/time");

interface Bench {
  name: string;
  /** Heavy benchmarks (tens of minutes) run only with --heavy or --only. */
  heavy?: boolean;
  target: string;
  targetS: number;
  args: (out: string) => string[];
}

const benches: Bench[] = [
  {
    name: "sim-year-rule",
    target: "paris-year (525,600 one-minute steps) with rule, all outputs written, < 10 s wall",
    targetS: 10,
    args: (out) => ["simulate", "simulations/paris-year.yaml", "--controller", "rule", "--out", out],
  },
  {
    name: "sim-winter-week-rule",
    target: "paris-winter-week with rule (10,080 steps), all outputs written",
    targetS: 2,
    args: (out) => ["simulate", "simulations/paris-winter-week.yaml", "--controller", "rule", "--out", out],
  },
  {
    name: "sim-winter-week-mpc",
    target: "paris-winter-week with mpc (672 plans of 36 move-blocked steps over 24 h), all outputs written, ≤ 60 s wall",
    targetS: 60,
    args: (out) => ["simulate", "simulations/paris-winter-week.yaml", "--controller", "mpc", "--out", out],
  },
  {
    name: "sim-year-mpc-hourly",
    heavy: true,
    target: "paris-year with mpc re-planning hourly (8,760 plans), ≤ 10 min wall",
    targetS: 600,
    args: (out) => ["simulate", "bench/paris-year-mpc-hourly.yaml", "--controller", "mpc", "--out", out],
  },
];

/** Benchmarks with their own runner (in-process timing), listed with the process-timed ones above. */
const custom = [
  { name: "plan", heavy: false, target: "96-step plan of simulations/plan-example.csv: HiGHS median ≤ 100 ms (beside glpsol and javascript-lp-solver)" },
  { name: "wire", heavy: false, target: "one I/O cycle against sim-plant over loopback (OPC UA read + Modbus writes with read-back + heartbeats), p99 ≤ 50 ms" },
  // The daemon ones take minutes each (300 one-second cycles; a 24-h soak): heavy, so a plain run stays short.
  { name: "daemon-cycle", heavy: true, target: "Daemon.cycle() read → write as runDaemon assembles it, against sim-plant over loopback at 1×, 300 cycles with no plan in flight, p99 ≤ 50 ms" },
  { name: "daemon-cycle-solving", heavy: true, target: "the same, 300 cycles overlapping a solve on the planner's thread (576 binary steps, no warm start, back to back), p99 ≤ 50 ms" },
  { name: "history-ingest", heavy: false, target: "a day of the demo plant into the SQLite history at the daemon's write pattern (one transaction per cycle), ≥ 200,000 rows/s; bytes per measurement-day" },
  { name: "history-year", heavy: true, target: "a simulated year of the demo plant (25 tags at 10 s) through the history with the default retention, file < 2 GB" },
  { name: "api-state", heavy: false, target: "GET /api/state under a loopback load (autocannon, 10 connections, 60 s) while the daemon cycles at 1 s: ≥ 1,000 req/s, p99 ≤ 20 ms, cycle p99 ≤ 50 ms" },
  { name: "startup", heavy: false, target: "chaleur --version (the built product) / node -e 0, alternated, median of the pair ratios ≤ 2.5×" },
  { name: "override-check", heavy: false, target: "cooling-first check of one override request (forecast extended at design conditions, capacity check, LP relaxation), 2 h / 25 h / 6 days ahead: median ≤ 500 ms each" },
  { name: "sweep", heavy: false, target: "chaleur sweep of 24 winter weeks with rule (bench/sweep-24.yaml): 2 workers ≥ 1.8× faster than 1 (medians)" },
  { name: "daemon-memory", heavy: true, target: "daemon + in-process sim-plant RSS over 24 simulated hours at 360×, least-squares slope over hours 12–24 < 1 MB/h, optimal throughout" },
];
const all = [...custom, ...benches];
if (values.list) {
  for (const b of all) console.log(`${b.name.padEnd(22)} ${b.heavy ? "(heavy: only with --heavy or --only) " : ""}${b.target}`);
  process.exit(0);
}
if (values.only && !all.some((b) => b.name === values.only)) {
  console.error(`bench: --only: expected one of ${all.map((b) => b.name).join(", ")} (got '${values.only}'; see --list)`);
  process.exit(2);
}

let failed = false;
if (!values.only || values.only === "plan") {
  failed ||= !(await benchPlan({ highs: 15, jslp: runs > 3 ? 3 : 1, glpsol: 15 }));
}
if (!values.only || values.only === "wire") {
  // Loaded only here: node-opcua takes seconds to import.
  const { benchWire } = await import("./wire.ts");
  failed ||= !(await benchWire(500));
}
/** A custom benchmark runs when named by --only, or in a full run (heavy ones only with --heavy). */
const wanted = (name: string) => (values.only ? values.only === name : !custom.find((b) => b.name === name)!.heavy || values.heavy);
if (wanted("daemon-cycle") || wanted("daemon-cycle-solving")) {
  const { benchDaemonCycle, benchDaemonCycleSolving } = await import("./daemon-cycle.ts");
  if (wanted("daemon-cycle")) failed ||= !(await benchDaemonCycle(300));
  if (wanted("daemon-cycle-solving")) failed ||= !(await benchDaemonCycleSolving(300));
}
if (wanted("history-ingest") || wanted("history-year")) {
  const { benchHistoryIngest, benchHistoryYear } = await import("./history.ts");
  if (wanted("history-ingest")) failed ||= !benchHistoryIngest(Math.min(runs, 5));
  if (wanted("history-year")) failed ||= !benchHistoryYear();
}
if (wanted("api-state")) {
  const { benchApiState } = await import("./api-state.ts");
  const oks: boolean[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) oks.push(await benchApiState());
  failed ||= oks.filter(Boolean).length * 2 <= oks.length;
}
// The process benchmarks time what a person runs: the built product (rebuilt here, so it is never stale).
if (spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" }).status !== 0) {
  console.error("bench: npm run build failed");
  process.exit(1);
}
if (wanted("startup")) {
  const { benchStartup } = await import("./startup.ts");
  failed ||= !benchStartup(Math.max(runs, 15), root);
}
if (wanted("override-check")) {
  const { benchOverrideCheck } = await import("./override-check.ts");
  failed ||= !(await benchOverrideCheck(Math.max(runs, 9)));
}
if (wanted("sweep")) {
  const { benchSweep } = await import("./sweep.ts");
  failed ||= !benchSweep(Math.min(runs, 3));
}
if (wanted("daemon-memory")) {
  // A process of its own: its RSS is then the daemon's and the plant's, not what earlier benchmarks left here, and
  // --expose-gc lets it measure the heap after a full collection.
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "bench/daemon-memory.ts"], { cwd: root, stdio: "inherit" });
  failed ||= r.status !== 0;
}
const selected = benches.filter((x) => (values.only ? x.name === values.only : !x.heavy || values.heavy));
for (const b of selected) {
  // Wall-clock heavy runs are sampled fewer times.
  const n = b.targetS > 30 ? Math.min(runs, 3) : runs;
  const wallS: number[] = [];
  const rssMb: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = mkdtempSync(join(tmpdir(), `chaleur-bench-${b.name}-`));
    const t0 = performance.now();
    const cmd = [process.execPath, "bin/chaleur.js", ...b.args(out)];
    // GNU time gives the peak RSS; without it (Debian package `time`), only wall time is measured.
    const r = hasGnuTime ? spawnSync("/usr/bin/time", ["-f", "%M", ...cmd], { cwd: root, encoding: "utf8" }) : spawnSync(cmd[0]!, cmd.slice(1), { cwd: root, encoding: "utf8" });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${b.name} failed: ${r.stderr}`);
    wallS.push(s);
    if (hasGnuTime) rssMb.push(Number(r.stderr.trim().split("\n").at(-1)) / 1024);
  }
  const ok = median(wallS) <= b.targetS;
  failed ||= !ok;
  console.log(`${b.name}: ${b.target}`);
  console.log(`  wall: ${summary(wallS, "s")} ${ok ? "OK" : "OVER TARGET"}`);
  if (rssMb.length) console.log(`  peak RSS: ${summary(rssMb, "MB")}`);
}
process.exitCode = failed ? 1 : 0;

/**
 * `npm run bench -- --only daemon-cycle` and `--only daemon-cycle-solving`: the latency of `Daemon.cycle()` (read →
 * estimate → follow → clamp → write with read-back → heartbeat → record, as `lastCycleMs` reports it) of the daemon
 * as `runDaemon` assembles it, against sim-plant over loopback at 1× with wall-clock timestamps (a plant's
 * situation), at a 1-s I/O period. The first counts only cycles with no plan in flight; the second only cycles
 * during which the planner's thread was solving, with solves made long and back to back, to show that the solver
 * does not hold I/O up.
 */
import type { PlanRequest, Planner } from "../src/control/planner.ts";

import { percentile } from "./stats.ts";
import { sleep, startRig, watchCycles, type CycleSample } from "./daemon-rig.ts";

/** Cycles skipped at start: the first one waits for the first plan by design, and the first few warm the JIT up. */
const WARMUP_CYCLES = 10;
const TARGET_P99_MS = 50;
const IO_PERIOD_S = 1;

interface Run {
  kept: CycleSample[];
  all: CycleSample[];
  solveMs: number[];
  failures: string[];
}

async function measure(n: number, keepIf: (s: CycleSample) => boolean, control: Parameters<typeof startRig>[0]["control"], wrapPlanner?: (p: Planner) => Planner): Promise<Run> {
  // 1× and "wall": the plant stamps values when produced and the daemon ages them on the wall clock, as on site.
  const rig = await startRig({ speed: 1, sourceTime: "wall", tickMs: 250, control: { ioPeriodS: IO_PERIOD_S, ...control }, ...(wrapPlanner ? { wrapPlanner } : {}) });
  const w = watchCycles(rig.running);
  const kept = () => w.samples.slice(WARMUP_CYCLES).filter(keepIf);
  // Bounded: a daemon that never (or always) plans would otherwise keep the bench waiting forever.
  const deadline = performance.now() + (WARMUP_CYCLES + 3 * n) * IO_PERIOD_S * 1000 + 60_000;
  while (kept().length < n && performance.now() < deadline) await sleep(500);
  w.unsubscribe();
  const logs = rig.logLines();
  await rig.stop();
  return {
    kept: kept().slice(0, n),
    all: w.samples.slice(WARMUP_CYCLES),
    solveMs: logs.filter((l) => l.event === "plan").map((l) => Number(l.solve_ms)),
    failures: logs.filter((l) => l.event === "plan_failed" || l.event === "write_failed").map((l) => String(l.msg)),
  };
}

function report(name: string, target: string, n: number, r: Run, extra: string[]): boolean {
  const ms = r.kept.map((s) => s.ms);
  const p99 = percentile(ms, 99);
  const modes = new Map<string, number>();
  for (const s of r.all) modes.set(s.status.mode, (modes.get(s.status.mode) ?? 0) + 1);
  // Enough cycles of the kind asked for, p99 within target, every link up and the plant seen (a cycle in `safe`
  // skips the plan and measures something else).
  const ok = ms.length >= n && p99 <= TARGET_P99_MS && r.all.every((s) => s.status.mode !== "safe" && Object.values(s.status.plcs).every((p) => p === "up") && s.status.opcua === "up");
  console.log(`${name}: ${target}`);
  console.log(`  cycle: p50 ${percentile(ms, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms (n=${ms.length} of ${n} wanted) ${ok ? "OK" : "OVER TARGET"}`);
  console.log(`  cycles after warm-up: ${r.all.length}, ${r.all.filter((s) => s.solving).length} with a plan in flight (status planInFlight); modes ${[...modes].map(([m, k]) => `${m} ${k}`).join(", ")}`);
  const solve = r.solveMs.toSorted((a, b) => a - b);
  if (solve.length) console.log(`  plans: ${solve.length}, solver time p50 ${percentile(solve, 50).toFixed(0)} ms, max ${solve.at(-1)!.toFixed(0)} ms`);
  const odd = r.all.find((s) => s.status.mode !== "optimal");
  if (odd) console.log(`  first cycle not optimal: ${odd.status.mode}: ${odd.status.modeCause}`);
  for (const e of extra) console.log(`  ${e}`);
  if (r.failures.length) console.log(`  ${r.failures.length} failures logged, first: ${r.failures[0]}`);
  return ok;
}

export async function benchDaemonCycle(n = 300): Promise<boolean> {
  // The demo config as shipped (24 h, 15-min steps for 4 h then hourly; re-plan every 15 min or on a forecast miss).
  const r = await measure(n, (s) => !s.solving, {});
  return report("daemon-cycle", `Daemon.cycle() read → write against sim-plant over loopback (1 s I/O period), no plan in flight, p99 ≤ ${TARGET_P99_MS} ms`, n, r, []);
}

export async function benchDaemonCycleSolving(n = 300): Promise<boolean> {
  // HiGHS re-plans the demo's grid in ~0.1 s, and even 96 all-binary 15-min steps without a warm start in ~0.1–0.2 s
  // (measured): the worker would idle most of a 1-s period. So the plan is made big and each request the daemon
  // sends its worker hard: 48 h of 5-min steps (576), every step binary, no warm start: ~1 s per solve here. Only
  // the request changes: thread, messages, the plan's verification and storage are the daemon's own. The worker's
  // busy spans (request sent → answer back) are kept.
  const busy: [number, number][] = [];
  let open: number | null = null;
  // The daemon's own worker planner, wrapped (injected through runDaemon): each request made hard, its span kept.
  const wrap = (inner: Planner): Planner => ({
    async plan(req: PlanRequest) {
      const { start: _warm, ...options } = req.options;
      open = performance.now();
      try {
        return await inner.plan({ ...req, options: { ...options, integerSteps: req.forecast.n } });
      } finally {
        busy.push([open, performance.now()]);
        open = null;
      }
    },
    close: () => inner.close(),
  });
  // Kept: cycles whose span meets a span of the worker solving (stricter than the status: a plan in flight also
  // covers reading the forecasts before the request goes to the worker).
  const onWorker = (s: CycleSample) => (open !== null && open <= s.endMs) || busy.some(([a, b]) => a <= s.endMs && b >= s.endMs - s.ms);
  // A re-plan period of one I/O period: a new solve is due as soon as one ends. A 5-s limit: the first solve (the
  // worker's JIT cold) takes ~3 s, and the config's 2 s (+1 s grace) would kill it and start the daemon in `rule`.
  const r = await measure(n, onWorker, { replanS: IO_PERIOD_S, grid: { horizonS: 48 * 3600, stepS: 300 }, solveTimeLimitMs: 5000 }, wrap);
  const first = r.all[0]?.endMs ?? 0;
  const last = r.all.at(-1)?.endMs ?? 0;
  const busyMs = busy.reduce((a, [s, e]) => a + Math.max(0, Math.min(e, last) - Math.max(s, first)), 0);
  // Where the slow ones are: cycles in which a plan began or ended also carry the daemon's own planning work on this
  // thread (forecast read and averaging, request and plan copied across threads); the others only share the CPU.
  const edge = (c: CycleSample) => busy.some(([a, b]) => (a >= c.endMs - c.ms && a <= c.endMs) || (b >= c.endMs - c.ms && b <= c.endMs));
  const split = (xs: CycleSample[]) => `p50 ${percentile(xs.map((c) => c.ms), 50).toFixed(1)} ms, p99 ${percentile(xs.map((c) => c.ms), 99).toFixed(1)} ms (n=${xs.length})`;
  const midSolve = r.kept.filter((c) => !edge(c));
  return report("daemon-cycle-solving", `Daemon.cycle() while the planner's thread solves (576 binary 5-min steps, no warm start, back to back), p99 ≤ ${TARGET_P99_MS} ms`, n, r, [
    `${r.all.filter(onWorker).length} cycles overlapped a solve on the worker; worker busy ${((100 * busyMs) / Math.max(1, last - first)).toFixed(0)}% of the measured ${((last - first) / 1000).toFixed(0)} s`,
    `cycles with a plan sent or received in them: ${split(r.kept.filter(edge))}; wholly inside a solve: ${split(midSolve)}`,
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[3] ?? 300);
  process.exitCode = (await (process.argv[2] === "solving" ? benchDaemonCycleSolving(n) : benchDaemonCycle(n))) ? 0 : 1;
}

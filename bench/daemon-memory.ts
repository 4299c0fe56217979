/**
 * `npm run bench -- --only daemon-memory`: the daemon's resident memory over 24 simulated hours, run as `chaleur
 * demo` runs it (sim-plant in process at an accelerated speed, OPC UA stamped in plant time, the daemon on the
 * plant's clock), sampled every simulated hour. Criterion: no growth trend, i.e. the least-squares slope of RSS over
 * the second half (hours 12–24: start-up allocations, JIT and caches settled) below 1 MB per simulated hour, with
 * the daemon `optimal` in every cycle (a daemon fallen back to `rule` or `safe` does less and proves nothing).
 *
 * bench/run.ts starts this file in a process of its own, with --expose-gc: the RSS is then this daemon's and
 * plant's alone (not what earlier benchmarks left in the runner), and the heap can be measured after a full GC.
 * The RSS includes the in-process plant, as in the demo.
 */
import { percentile } from "./stats.ts";
import { sleep, startRig } from "./daemon-rig.ts";

const TARGET_SLOPE_MB_H = 1;
const MB = 1024 * 1024;

/** Least-squares slope of ys over xs. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

export async function benchDaemonMemory(speed = 360, hours = 24): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // runDemo's settings: plant time on the wire and in the daemon, a 100-ms plant tick; the rig scales the tag ages.
  const rig = await startRig({ speed, sourceTime: "plant", tickMs: 100 });
  // Counters only: keeping every status would itself grow this process's memory by the hour.
  const modes = new Map<string, number>();
  let firstOdd: string | null = null;
  let cycles = 0;
  // Allocated once up front (one slot per plant second: more than the cycles), so that it does not grow either.
  const cycleMs = new Float64Array(hours * 3600);
  const sub = rig.running.daemon.status$.subscribe((s) => {
    if (s.cycles === cycles || s.lastCycleMs === null) return;
    if (cycles < cycleMs.length) cycleMs[cycles] = s.lastCycleMs;
    cycles = s.cycles;
    modes.set(s.mode, (modes.get(s.mode) ?? 0) + 1);
    if (s.mode !== "optimal") firstOdd ??= `${new Date(s.plantTimeMs).toISOString()} ${s.mode}: ${s.modeCause}`;
  });
  // Hour 0 is after the first cycle (the daemon connected and holding its first plan), not at process start.
  while (cycles === 0) await sleep(50);
  const t0 = rig.plant.plantNowMs();
  const wall0 = performance.now();
  const rss: number[] = [];
  const heap: number[] = [];
  for (let h = 0; h <= hours; h++) {
    while (rig.plant.plantNowMs() < t0 + h * 3_600_000) await sleep(50);
    gc?.();
    const m = process.memoryUsage();
    rss.push(m.rss / MB);
    heap.push(m.heapUsed / MB);
  }
  const wallS = (performance.now() - wall0) / 1000;
  sub.unsubscribe();
  // Plans by trigger, numbers stripped ("network demand # kW, # kW off forecast"): how busy the planner was, and why.
  const triggers = new Map<string, number>();
  for (const l of rig.logLines()) {
    const t = String(l.trigger).replace(/-?[\d.]+/g, "#");
    if (l.event === "plan") triggers.set(t, (triggers.get(t) ?? 0) + 1);
  }
  const plans = [...triggers.values()].reduce((a, b) => a + b, 0);
  await rig.stop();

  const half = Math.floor(hours / 2);
  const hs = rss.map((_, h) => h).slice(half);
  const rssSlope = slope(hs, rss.slice(half));
  const heapSlope = slope(hs, heap.slice(half));
  const allOptimal = firstOdd === null && cycles > 0;
  const ok = rssSlope < TARGET_SLOPE_MB_H && allOptimal;
  const f = (xs: number[]) => `first ${xs[0]!.toFixed(1)} MB, last ${xs.at(-1)!.toFixed(1)} MB, max ${Math.max(...xs).toFixed(1)} MB`;
  const lat = Array.from(cycleMs.subarray(0, Math.min(cycles, cycleMs.length)));
  console.log(`daemon-memory: daemon + in-process sim-plant RSS over ${hours} simulated hours at ${speed}× (sampled hourly), slope of RSS over hours ${half}–${hours} < ${TARGET_SLOPE_MB_H} MB/h, optimal throughout`);
  console.log(`  RSS: ${f(rss)}; slope over hours ${half}–${hours}: ${rssSlope >= 0 ? "+" : ""}${rssSlope.toFixed(3)} MB/h ${ok ? "OK" : "OVER TARGET"}`);
  console.log(`  heap used${gc ? " (after a full GC)" : " (no --expose-gc: not collected first)"}: ${f(heap)}; slope ${heapSlope >= 0 ? "+" : ""}${heapSlope.toFixed(3)} MB/h`);
  console.log(`  hourly RSS (MB): ${rss.map((x) => x.toFixed(0)).join(" ")}`);
  console.log(`  plans by trigger: ${[...triggers].map(([t, k]) => `${t} ${k}`).join("; ")}`);
  console.log(`  ${cycles} cycles (${((hours * 3600) / rig.cfg.control.ioPeriodS).toFixed(0)} periods) in ${wallS.toFixed(0)} s wall, cycle p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms; ${plans} plans; modes ${[...modes].map(([m, k]) => `${m} ${k}`).join(", ")}${allOptimal ? " (optimal throughout)" : `; first not optimal: ${firstOdd}`}`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await benchDaemonMemory(Number(process.argv[2] ?? 360), Number(process.argv[3] ?? 24))) ? 0 : 1;

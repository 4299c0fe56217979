/**
 * `npm run bench -- --only api-state`: the daemon's API serving `GET /api/state` under a bounded loopback load while
 * the daemon cycles (1-s I/O period against sim-plant at 1×, as on site). The load comes from autocannon in a
 * process of its own (10 keep-alive connections, 20 s), so the client does not share the daemon's event loop; the
 * two share this machine's 2 cores, as a browser on the plant PC would. Targets: ≥ 1,000 requests/s with p99 ≤ 20 ms,
 * and the cycles during the load keep their own p99 ≤ 50 ms.
 */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { percentile } from "./stats.ts";
import { sleep, startRig, watchCycles } from "./daemon-rig.ts";

const TARGET_RPS = 1000;
const TARGET_P99_MS = 20;
const TARGET_CYCLE_P99_MS = 50;
const root = resolve(import.meta.dirname, "..");

interface Autocannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannon(url: string, token: string, seconds: number, connections: number, rate: number | null): Promise<Autocannon> {
  return new Promise((done, fail) => {
    execFile(join(root, "node_modules/.bin/autocannon"), ["--json", "-c", String(connections), "-d", String(seconds), ...(rate ? ["--overallRate", String(rate)] : []), "-H", `authorization=Bearer ${token}`, url], { maxBuffer: 64 * 1024 * 1024 }, (e, out) => (e ? fail(e) : done(JSON.parse(out) as Autocannon)));
  });
}

export async function benchApiState(seconds = 60, connections = 10): Promise<boolean> {
  process.env.CHALEUR_ADMIN_PASSWORD ||= "bench admin password";
  const rig = await startRig({ speed: 1, sourceTime: "wall", tickMs: 250, control: { ioPeriodS: 1 } });
  try {
    const base = `http://${rig.cfg.http.host}:${rig.cfg.http.port}`;
    const login = await fetch(`${base}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: process.env.CHALEUR_ADMIN_PASSWORD, bearer: true }) });
    const { token } = (await login.json()) as { token: string };
    // Warm up: the first plan, the JIT, the first SSE-free requests.
    await sleep(10_000);
    const body = await (await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${token}` } })).text();
    console.log(`api-state: GET /api/state (${body.length} bytes), ${connections} keep-alive connections from autocannon (own process), daemon cycling at 1 s against sim-plant`);
    let ok = true;
    // The target: a bounded load of 1,000 req/s, served within p99 20 ms, cycles unharmed. Then, for the record,
    // what the API gives when pushed as hard as the client can (the cycles suffer then: one event loop).
    for (const rate of [TARGET_RPS, null]) {
      const w = watchCycles(rig.running);
      const r = await autocannon(`${base}/api/state`, token, rate ? seconds : 20, connections, rate);
      w.unsubscribe();
      const cycles = w.samples.map((s) => s.ms);
      const cycleP99 = percentile(cycles, 99);
      const pass = r.requests.average >= TARGET_RPS * 0.98 && r.latency.p99 <= TARGET_P99_MS && r.non2xx === 0 && r.errors === 0 && cycleP99 <= TARGET_CYCLE_P99_MS && cycles.length >= seconds * 0.9;
      console.log(`  ${rate ? `at ${rate} req/s (the target: ≥ ${TARGET_RPS} req/s, p99 ≤ ${TARGET_P99_MS} ms, cycle p99 ≤ ${TARGET_CYCLE_P99_MS} ms)` : "unbounded (for the record)"}:`);
      console.log(`    requests: ${r.requests.average.toFixed(0)} req/s (${r.requests.total} in all; ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts); latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
      console.log(`    daemon cycles: ${cycles.length}, p50 ${percentile(cycles, 50).toFixed(2)} ms, p99 ${cycleP99.toFixed(2)} ms, max ${Math.max(...cycles).toFixed(2)} ms; modes ${[...new Set(w.samples.map((s) => s.status.mode))].join(", ")}${rate ? (pass ? "  OK" : "  OVER TARGET") : ""}`);
      if (rate) ok = pass;
    }
    return ok;
  } finally {
    await rig.stop();
  }
}

/**
 * `npm run bench -- --only override-check`: the cooling-first check of one override request as the daemon makes
 * it (the forecast extended at design conditions to the override's end, the capacity check, the LP relaxation of
 * the MILP with every override's bounds), for overrides starting 2 h, 25 h and 6 days ahead. It runs on the
 * daemon's event loop between cycles, so it must stay well inside one I/O period (10 s).
 */
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { daemonDepsFrom } from "../src/daemon/wiring.ts";
import { relaxedPlanCheck } from "../src/daemon/plan-check.ts";
import { plantForecast } from "../src/forecast/plant-forecast.ts";
import { observationAt } from "../src/control/observation-fixture.ts";
import { observationState } from "../src/control/planner.ts";
import { extendToCover } from "../src/ops/override-window.ts";
import { overrideBounds } from "../src/ops/override-bounds.ts";
import { coolingCheck } from "../src/ops/cooling-check.ts";
import type { Override } from "../src/ops/overrides.ts";
import { median, percentile } from "./stats.ts";

export const OVERRIDE_CHECK_TARGET_MS = 500;

export async function benchOverrideCheck(runs: number): Promise<boolean> {
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const m = cfg.model;
  const t0 = Date.parse("2026-01-13T05:00:00Z");
  const obs = observationAt(m, t0);
  const f = plantForecast(m, obs, daemonDepsFrom(cfg).control.grid, null).forecast;
  const check = relaxedPlanCheck(m);
  let ok = true;
  for (const hoursAhead of [2, 25, 6 * 24]) {
    const o: Override = { id: 1, target: "dry_coolers", kind: "limit", value: 0, startMs: t0 + hoursAhead * 3600_000, expiryMs: t0 + (hoursAhead + 10) * 3600_000, reason: "bench", author: "bench", createdMs: t0, clearedMs: null, clearedBy: null, clearReason: null };
    const ms: number[] = [];
    let steps = 0;
    // One warm-up (the WebAssembly solver's first load), then the samples.
    for (let i = 0; i <= runs; i++) {
      const s = performance.now();
      const ext = extendToCover(m, f, o.expiryMs);
      coolingCheck({ model: m, forecast: ext.forecast, storageEnergyKwh: obs.storageEnergyKwh, ghTempC: obs.ghTempC, overrides: [o], proposed: o, designFromStep: ext.designFromStep });
      await check(ext.forecast, observationState(obs), overrideBounds(m, [o], t0, ext.forecast.stepsS, { anyOverlap: true }));
      if (i > 0) ms.push(performance.now() - s);
      steps = ext.forecast.n;
    }
    const med = median(ms);
    ok &&= med <= OVERRIDE_CHECK_TARGET_MS;
    console.log(`override-check ${hoursAhead} h ahead (${steps} steps): median ${med.toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms (n=${ms.length}) ${med <= OVERRIDE_CHECK_TARGET_MS ? "ok" : "OVER"} (target ≤ ${OVERRIDE_CHECK_TARGET_MS} ms)`);
  }
  return ok;
}

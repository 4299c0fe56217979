import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median, summary } from "./stats.ts";

const root = resolve(import.meta.dirname, "..");

/**
 * `chaleur sweep` of 24 rule cases on 1 and on 2 workers, each a fresh process into a fresh folder (nothing reused),
 * timed from outside, alternated so a slow spell of the machine hits both. Target: 2 workers ≥ 1.8× faster.
 */
/**
 * What two processes get from this machine at once: the same CPU-bound loop alone and two at a time, as a speed-up
 * (2.0 on two free cores). A sweep cannot beat it, so the sweep's speed-up is read against it.
 */
function parallelCeiling(runs: number): number {
  const loop = "let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; if (x < 0) console.log(x);";
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    spawnSync(process.execPath, ["-e", loop]);
    one.push(performance.now() - t0);
    t0 = performance.now();
    spawnSync("sh", ["-c", `"${process.execPath}" -e '${loop}' & "${process.execPath}" -e '${loop}'; wait`]);
    two.push(performance.now() - t0);
  }
  return (2 * median(one)) / median(two);
}

export function benchSweep(runs: number): boolean {
  const ceiling = parallelCeiling(runs);
  const wall: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let i = 0; i < runs; i++) {
    for (const workers of [1, 2] as const) {
      const out = mkdtempSync(join(tmpdir(), "chaleur-bench-sweep-"));
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sweep", "bench/sweep-24.yaml", "--workers", String(workers), "--out", out], { cwd: root, encoding: "utf8" });
      wall[workers].push((performance.now() - t0) / 1000);
      rmSync(out, { recursive: true, force: true });
      if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr}`);
      if (!r.stdout.includes("24 of 24 cases: 24 run, 0 already done, 0 failed")) throw new Error(`sweep did not run the 24 cases: ${r.stdout}`);
    }
  }
  const speedup = median(wall[1]) / median(wall[2]);
  const ok = speedup >= 1.8;
  console.log("sweep: 24 cases of paris-winter-week with rule, 2 workers ≥ 1.8× faster than 1");
  console.log(`  1 worker:  ${summary(wall[1], "s")}`);
  console.log(`  2 workers: ${summary(wall[2], "s")}`);
  console.log(`  speed-up (medians): ${speedup.toFixed(2)}× ${ok ? "OK" : "UNDER TARGET"}`);
  // Measured, not assumed: on a shared virtual machine, or beside another job, the second core may not be there.
  const note = ceiling < 1.3 ? "the second core was busy or absent: the speed-up above measures nothing" : `the sweep gets ${((100 * (speedup - 1)) / (ceiling - 1)).toFixed(0)} % of what a second core gives here`;
  console.log(`  this machine (a CPU-bound loop, two processes against one, medians): ${ceiling.toFixed(2)}×; ${note}`);
  return ok;
}

/**
 * `npm run bench -- --only startup`: `chaleur --version` (the built product through bin/chaleur.js) against a bare
 * `node -e 0`, alternated so both see the same machine, the ratio taken pair by pair. Target ≤ 2.5× (it was 7.2×
 * when every process compiled the TypeScript through tsx as it started).
 */
import { spawnSync } from "node:child_process";
import { median } from "./stats.ts";

export const STARTUP_TARGET_RATIO = 2.5;

function wallMs(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`startup: node ${args.join(" ")} failed: ${r.stderr}`);
  return performance.now() - t0;
}

export function benchStartup(runs: number, root: string): boolean {
  const cli: number[] = [];
  const bare: number[] = [];
  const ratios: number[] = [];
  wallMs(["bin/chaleur.js", "--version"], root);
  for (let i = 0; i < runs; i++) {
    const a = wallMs(["bin/chaleur.js", "--version"], root);
    const b = wallMs(["-e", "0"], root);
    cli.push(a);
    bare.push(b);
    ratios.push(a / b);
  }
  const ratio = median(ratios);
  const ok = ratio <= STARTUP_TARGET_RATIO;
  console.log(`startup: chaleur --version median ${median(cli).toFixed(0)} ms, node -e 0 median ${median(bare).toFixed(0)} ms, ratio median ${ratio.toFixed(2)}× (${runs} pairs) ${ok ? "OK" : "OVER TARGET"} (target ≤ ${STARTUP_TARGET_RATIO}×)`);
  return ok;
}

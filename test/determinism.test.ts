import { describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Offline studies are reproducible whatever the machine's load (DESIGN §9): mpc and oracle stop their solves on
 * deterministic limits (branch-and-bound nodes), the wall clock is only a safety net. Each controller runs twice
 * on a heatwave day (heat-pump commitment against the chiller: the solver has real choices), the second time
 * with a busy-looping process beside it: timeseries.csv must be byte-identical, and every KPI the same but
 * the solve times (wall clock, which is what they measure).
 */
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-determinism-"));

function simulate(controller: string, out: string): Promise<number | null> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "simulate", "simulations/paris-summer-heatwave-week.yaml", "--set", "duration=P1D", "--controller", controller, "--out", out], { cwd: root, stdio: "ignore" });
    p.on("close", (code) => done(code));
  });
}

function hog(): ChildProcess {
  return spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
}

describe("mpc and oracle give the same outputs on an idle and on a busy machine", () => {
  for (const controller of ["mpc", "oracle"]) {
    it(controller, { timeout: 300_000 }, async () => {
      expect(await simulate(controller, join(dir, `${controller}-a`))).toBe(0);
      const busy = [hog()];
      try {
        expect(await simulate(controller, join(dir, `${controller}-b`))).toBe(0);
      } finally {
        for (const h of busy) h.kill("SIGKILL");
      }
      const out = (run: string, f: string) => readFileSync(join(dir, `${controller}-${run}`, f));
      expect(out("b", "timeseries.csv").equals(out("a", "timeseries.csv"))).toBe(true);
      // Every KPI the same but the solve times, which measure the machine (wall clock), not the decisions.
      const kpis = (run: string) => {
        const { solve_ms_p50, solve_ms_p95, ...rest } = JSON.parse(out(run, "kpis.json").toString("utf8")) as Record<string, unknown>;
        return { rest, solved: solve_ms_p50 !== null && solve_ms_p95 !== null };
      };
      expect(kpis("b").rest).toEqual(kpis("a").rest);
      expect(kpis("a").solved).toBe(true);
    });
  }
});

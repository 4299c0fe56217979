import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-plan-"));
});

function chaleur(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** glpsol is the independent checker; .ci/run installs it, and a missing one fails rather than skips. */
function glpsolObjective(lpFile: string): number {
  const out = join(dir, "glpsol.out");
  const r = spawnSync("glpsol", ["--lp", lpFile, "-o", out], { encoding: "utf8" });
  if (r.error) throw new Error(`glpsol is not installed (Debian package glpk-utils): ${r.error.message}`);
  const m = /Objective:\s+obj = (-?[\d.e+-]+) \(MAXimum\)/.exec(readFileSync(out, "utf8"));
  if (!m) throw new Error(`no objective in glpsol output: ${r.stdout}`);
  return Number(m[1]);
}

/** The first `steps` rows of the shipped example: javascript-lp-solver proves 6 h (24 steps) optimal in about 2 s. */
function examplePrefix(steps: number): string {
  const lines = readFileSync(join(root, "simulations/plan-example.csv"), "utf8").split("\n");
  const file = join(dir, `plan-${steps}.csv`);
  writeFileSync(file, lines.slice(0, steps + 1).join("\n") + "\n");
  return file;
}

describe("chaleur plan", () => {
  // jslp on 96 steps needs over a minute: its cross-check uses 6 h, what it solves in seconds.
  for (const [solver, steps] of [["highs", 96], ["jslp", 24]] as const) {
    it(`${solver}: glpsol on the exported LP gives the reported objective within 1e-6 relative`, { timeout: 120_000 }, () => {
      const lp = join(dir, `${solver}.lp`);
      const inputs = steps === 96 ? "simulations/plan-example.csv" : examplePrefix(steps);
      const r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", inputs, "--solver", solver, "--export-lp", lp, "--json", "--time-limit-s", "60");
      expect(r.code, r.err).toBe(0);
      const plan = JSON.parse(r.out);
      expect(plan.solver).toBe(solver);
      expect(["optimal", "feasible"]).toContain(plan.status);
      expect(plan.steps).toHaveLength(steps);
      expect(plan.steps[0]).toHaveProperty("hps");
      expect(typeof plan.solveMs).toBe("number");
      const ref = glpsolObjective(lp);
      expect(Math.abs(plan.objective - ref) / Math.abs(ref)).toBeLessThan(1e-6);
    });
  }

  it("jslp honours --time-limit-s: a 96-step plan it cannot finish in 3 s stops near 3 s with a one-line reason", { timeout: 120_000 }, () => {
    const t0 = performance.now();
    const r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", "simulations/plan-example.csv", "--solver", "jslp", "--time-limit-s", "3");
    const wallS = (performance.now() - t0) / 1000;
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toMatch(/^jslp: timeout \(no integer solution within the 3 s time limit\); objective —; \d+ ms$/);
    // Without the worker it ran for minutes (a 10 s limit took 42 s); the process start takes ~1 s, 3 s of solving.
    expect(wallS).toBeLessThan(30);
  });

  it("prints a readable table by default", () => {
    const r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", "simulations/plan-example.csv");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^highs: optimal, plan verified; objective [\d.]+ €/);
    expect(r.out.split("\n").filter((l) => /^\d\d\/\d\d \d\d:\d\d/.test(l))).toHaveLength(96);
  });

  it("bad inputs: a missing column, a naive time, an unknown solver", () => {
    const csv = readFileSync(join(root, "simulations/plan-example.csv"), "utf8");
    const noPrice = join(dir, "no-price.csv");
    writeFileSync(noPrice, csv.replace(",price_el_eur_mwh", ",price"));
    let r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", noPrice);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/no-price\.csv: header: expected a column 'price_el_eur_mwh' \(€\/MWh\)/);
    const naive = join(dir, "naive.csv");
    writeFileSync(naive, csv.replace("2026-01-11T23:15:00Z", "2026-01-11 23:15"));
    r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", naive);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/naive\.csv: line 3 column 'time': expected an ISO 8601 time with offset/);
    r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", "simulations/plan-example.csv", "--solver", "cplex");
    expect(r.code).toBe(2);
  });
});

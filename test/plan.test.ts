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

describe("chaleur plan", () => {
  for (const [solver, limitS] of [["highs", "60"], ["jslp", "90"]] as const) {
    it(`${solver}: glpsol on the exported LP gives the reported objective within 1e-6 relative`, { timeout: 180_000 }, () => {
      const lp = join(dir, `${solver}.lp`);
      const r = chaleur("plan", "--model", "models/paris-chapelle.yaml", "--inputs", "simulations/plan-example.csv", "--solver", solver, "--export-lp", lp, "--json", "--time-limit-s", limitS);
      expect(r.code, r.err).toBe(0);
      const plan = JSON.parse(r.out);
      expect(plan.solver).toBe(solver);
      expect(["optimal", "feasible"]).toContain(plan.status);
      expect(plan.steps).toHaveLength(96);
      expect(plan.steps[0]).toHaveProperty("hps");
      expect(typeof plan.solveMs).toBe("number");
      const ref = glpsolObjective(lp);
      expect(Math.abs(plan.objective - ref) / Math.abs(ref)).toBeLessThan(1e-6);
    });
  }

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

/**
 * `npm run bench -- --only plan`: one 96-step plan on the default plant, per backend (build + start + solve +
 * verify), against glpsol on the same model as LP text (process start and parsing included).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../src/config/plant-model.ts";
import { initialPlanState, readPlanInputs } from "../src/cli/plan.ts";
import { buildPlanModel } from "../src/optimizer/formulation/build.ts";
import { toCplexLp } from "../src/optimizer/lp-format.ts";
import { createSolver } from "../src/optimizer/solvers/index.ts";
import { optimizePlan } from "../src/optimizer/optimize.ts";
import { median, percentile } from "./stats.ts";

export async function benchPlan(runs: { highs: number; jslp: number; glpsol: number }): Promise<boolean> {
  const m = loadModel("models/paris-chapelle.yaml");
  const f = readPlanInputs("simulations/plan-example.csv", m);
  const { model } = buildPlanModel(m, f, initialPlanState(m));
  const lp = join(mkdtempSync(join(tmpdir(), "chaleur-bench-plan-")), "plan.lp");
  writeFileSync(lp, toCplexLp(model));
  const glpMs: number[] = [];
  for (let i = 0; i < runs.glpsol; i++) {
    const t0 = performance.now();
    const r = spawnSync("glpsol", ["--lp", lp], { encoding: "utf8" });
    if (r.error) {
      console.log("  glpsol: not installed (Debian glpk-utils), no ratio");
      break;
    }
    glpMs.push(performance.now() - t0);
  }
  const glp = glpMs.length ? median(glpMs) : Number.NaN;
  console.log(`plan-96: ${model.variables.length} variables, ${model.constraints.length} rows, ${model.variables.filter((v) => v.kind === "binary").length} binaries`);
  if (glpMs.length) console.log(`  glpsol (process start included): median ${glp.toFixed(1)} ms, p95 ${percentile(glpMs, 95).toFixed(1)} ms (n=${glpMs.length})`);
  let ok = true;
  for (const name of ["highs", "jslp"] as const) {
    const solver = await createSolver(name);
    const ms: number[] = [];
    for (let i = 0; i < runs[name]; i++) {
      // The whole call as `chaleur plan` makes it: model building, MIP start, solve, verification.
      const t0 = performance.now();
      const o = optimizePlan(solver, m, f, initialPlanState(m), { timeLimitMs: 120_000 });
      if (!o.plan) throw new Error(`${name}: ${o.message}`);
      ms.push(performance.now() - t0);
    }
    const med = median(ms);
    const target = name === "highs" ? " (target ≤ 100 ms: " + (med <= 100 ? "OK" : "OVER TARGET") + ")" : "";
    if (name === "highs") ok = med <= 100;
    console.log(`  ${name}: median ${med.toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms (n=${ms.length}), ${(med / glp).toFixed(1)}× glpsol${target}`);
  }
  return ok;
}

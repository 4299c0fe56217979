import { describe, expect, it } from "vitest";
import { tempErrorSigmaK, withForecastErrors, type Truth } from "./error-model.ts";
import { planGrid } from "../optimizer/plan-grid.ts";
import { loadScenario } from "../config/scenario.ts";
import { parseSet } from "../config/set-paths.ts";
import { buildInputs } from "../sim/inputs.ts";
import { noisyForecaster, perfectForecaster } from "../sim/forecaster.ts";
import type { Observation } from "../control/types.ts";

/** mpc's grid: 4 h of 15-min steps, then hourly to 24 h. */
const grid = planGrid({ horizonS: 86_400, stepS: 900, coarseAfterS: 4 * 3600, coarseStepS: 3600 });

describe("tempErrorSigmaK: the spread a plan is told its outdoor temperature forecast has", () => {
  it("is the spread withForecastErrors realises, step by step (rms over 3,000 issue times within 5 %)", () => {
    const n = grid.length;
    const flat = (v: number) => new Array<number>(n).fill(v);
    const truth: Truth = { itHeatKw: flat(1000), outdoorTempC: flat(5), solarWm2: flat(0), priceElEurPerMwh: flat(60), dhDemandKw: flat(1000) };
    const sq = new Array<number>(n).fill(0);
    const issues = 3000;
    for (let i = 0; i < issues; i++) {
      const f = withForecastErrors(truth, grid, Date.UTC(2026, 0, 1) + i * 900_000, 42);
      f.outdoorTempC.forEach((c, t) => (sq[t]! += (c - 5) ** 2));
    }
    const sigma = tempErrorSigmaK(grid);
    expect(sigma[0]).toBe(0); // now is observed
    for (let t = 1; t < n; t++) expect(Math.abs(Math.sqrt(sq[t]! / issues) / sigma[t]! - 1), `step ${t}`).toBeLessThan(0.05);
    // Small after 15 min (the AR(1) starts at zero now), about 2 K a day ahead (README: rms ≈ 2 K at 20–24 h).
    expect(sigma[1]).toBeLessThan(0.15);
    expect(sigma[n - 1]).toBeGreaterThan(1.9);
  });

  it("comes with the simulator's noisy forecasts (mpc's), not with the oracle's perfect ones", () => {
    const sc = loadScenario("simulations/paris-winter-week.yaml", [parseSet("duration=P2D")]);
    const inputs = buildInputs(sc);
    const obs = { timeMs: sc.startMs, itHeatKw: 1000, outdoorTempC: 3, priceElEurPerMwh: 60, dhDemandKw: 1000, hps: sc.model.heatPumps.map((h) => ({ id: h.id, available: true })) } as unknown as Observation;
    expect(noisyForecaster(sc, inputs)(obs, grid).outdoorTempSigmaK).toEqual(tempErrorSigmaK(grid));
    expect(perfectForecaster(sc, inputs)(obs, grid).outdoorTempSigmaK).toBeUndefined();
  });
});

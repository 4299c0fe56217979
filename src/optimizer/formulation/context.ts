import type { PlantModel } from "../../model/plant-model.ts";
import { MilpBuilder } from "../milp.ts";
import { stepBoundsMs } from "../plan-grid.ts";
import type { KwRange, PlanForecast, PlanOptions, PlanState } from "../plan-types.ts";

/** Shared by the equipment modules: the builder, the inputs, and the terms each balance collects. */
export interface FormulationContext {
  b: MilpBuilder;
  m: PlantModel;
  f: PlanForecast;
  s: PlanState;
  opts: PlanOptions;
  n: number;
  /** Step durations (h). */
  dtH: number[];
  /** Start of each step and the horizon's end (ms). */
  boundsMs: number[];
  /** € per kWh of electricity at step t (day-ahead + grid fee). */
  elecEurPerKwh: number[];
  /** Terms of "heat removed from the facility water" per step (kW): must equal the IT heat. */
  cooling: [number, number][][];
  /** Terms of "heat into the hot loop − heat out of it" per step (kW): must be 0. */
  hotLoop: [number, number][][];
}

export function createContext(m: PlantModel, f: PlanForecast, s: PlanState, opts: PlanOptions): FormulationContext {
  const n = f.n;
  return {
    b: new MilpBuilder(`${m.name} from ${new Date(f.startMs).toISOString()}, ${n} steps over ${f.stepsS.reduce((a, d) => a + d, 0) / 3600} h`),
    m,
    f,
    s,
    opts,
    n,
    dtH: f.stepsS.map((d) => d / 3600),
    boundsMs: stepBoundsMs(f.startMs, f.stepsS),
    elecEurPerKwh: f.priceElEurPerMwh.map((p) => (p + m.economics.gridFeeEurPerMwh) / 1000),
    cooling: Array.from({ length: n }, () => []),
    hotLoop: Array.from({ length: n }, () => []),
  };
}

/** Whether fixes apply at step t. */
export function fixedAt(ctx: FormulationContext, t: number): boolean {
  const fx = ctx.opts.fixes;
  return fx !== undefined && t < (fx.steps ?? ctx.n);
}

/**
 * A variable's bounds [lo, hi] narrowed by an override's range: the maximum cuts hi; a minimum above what the
 * equipment can give is cut to it (the plant delivers at most that, so the plan must not count on more).
 */
export function narrowed(lo: number, hi: number, r: KwRange | null | undefined): [number, number] {
  if (!r) return [lo, hi];
  const h = Math.max(lo, Math.min(hi, r.maxKw));
  return [Math.min(Math.max(lo, r.minKw), h), h];
}

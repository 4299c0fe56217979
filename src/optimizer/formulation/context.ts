import type { PlantModel } from "../../config/plant-model.ts";
import { MilpBuilder } from "../milp.ts";
import type { PlanForecast, PlanOptions, PlanState } from "../plan-types.ts";

/** Shared by the equipment modules: the builder, the inputs, and the terms each balance collects. */
export interface FormulationContext {
  b: MilpBuilder;
  m: PlantModel;
  f: PlanForecast;
  s: PlanState;
  opts: PlanOptions;
  n: number;
  dtH: number;
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
    b: new MilpBuilder(`${m.name} from ${new Date(f.startMs).toISOString()}, ${n} × ${f.stepS / 60} min`),
    m,
    f,
    s,
    opts,
    n,
    dtH: f.stepS / 3600,
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

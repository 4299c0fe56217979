import type { PlantModel } from "../../model/plant-model.ts";
import type { MilpModel } from "../milp.ts";
import { COOLING_SHORTFALL_EUR_PER_KWH, type Plan, type PlanForecast, type PlanOptions, type PlanState } from "../plan-types.ts";
import { stepBoundsMs } from "../plan-grid.ts";
import { createContext } from "./context.ts";
import { addHeatPumps, type HpVars } from "./heat-pumps.ts";
import { addStorage, type StorageVars } from "./storage.ts";
import { addGreenhouse, type GreenhouseVars } from "./greenhouse.ts";
import { addNetwork } from "./network.ts";
import { addReject, type RejectVars } from "./reject.ts";

/** Where each quantity lives in the model, to read a plan back out of the values. */
export interface PlanIndex {
  forecast: PlanForecast;
  hps: HpVars[];
  storage: StorageVars | null;
  greenhouse: GreenhouseVars | null;
  sold: number[];
  reject: RejectVars;
  /** Cooling shortfall per step (coolingShortfall option only). */
  shortfall: number[] | null;
}

export function validateForecast(m: PlantModel, f: PlanForecast): void {
  const arrays = [f.itHeatKw, f.outdoorTempC, f.solarWm2, f.priceElEurPerMwh, f.dhDemandKw];
  if (f.n < 1 || arrays.some((a) => a.length < f.n)) throw new RangeError(`forecast needs ${f.n} values in every series`);
  for (const a of arrays) for (let t = 0; t < f.n; t++) if (!Number.isFinite(a[t]!)) throw new RangeError(`forecast value at step ${t} is ${a[t]}`);
  if (f.stepsS.length !== f.n || f.stepsS.some((d) => !(d > 0))) throw new RangeError(`forecast needs ${f.n} positive step durations`);
  if (f.hpAvailable.length !== m.heatPumps.length) throw new RangeError(`forecast availability for ${f.hpAvailable.length} heat pumps, model has ${m.heatPumps.length}`);
  const sigma = f.outdoorTempSigmaK;
  if (sigma && (sigma.length < f.n || sigma.slice(0, f.n).some((s) => !(s >= 0 && s < Infinity)))) throw new RangeError(`forecast needs ${f.n} outdoor temperature spreads, each finite and ≥ 0`);
}

/**
 * The rolling-horizon MILP of DESIGN §3 as plain data. Cooling first is a hard equality per step:
 * heat-pump source heat + greenhouse direct + dump + chiller = IT heat. The hot loop balances per step.
 */
export function buildPlanModel(m: PlantModel, f: PlanForecast, s: PlanState, opts: PlanOptions = {}): { model: MilpModel; index: PlanIndex } {
  validateForecast(m, f);
  const ctx = createContext(m, f, s, opts);
  const hps = addHeatPumps(ctx);
  const storage = addStorage(ctx);
  const greenhouse = addGreenhouse(ctx);
  const sold = addNetwork(ctx);
  const reject = addReject(ctx);
  const shortfall = opts.coolingShortfall ? Array.from({ length: ctx.n }, (_, t) => ctx.b.addVar(`cooling_short_${t}`, 0, Math.max(0, f.itHeatKw[t]!))) : null;
  shortfall?.forEach((v, t) => {
    ctx.b.addObj(v, -COOLING_SHORTFALL_EUR_PER_KWH * ctx.dtH[t]!);
    ctx.cooling[t]!.push([v, 1]);
  });
  for (let t = 0; t < ctx.n; t++) {
    ctx.b.addCon(`cooling_${t}`, "cooling", ctx.cooling[t]!, "=", f.itHeatKw[t]!);
    ctx.b.addCon(`hotloop_${t}`, "hot loop", ctx.hotLoop[t]!, "=", 0);
  }
  return { model: ctx.b.build(), index: { forecast: f, hps, storage, greenhouse, sold, reject, shortfall } };
}

export function extractPlan(index: PlanIndex, x: ArrayLike<number>, objectiveEur: number): Plan {
  const f = index.forecast;
  const bounds = stepBoundsMs(f.startMs, f.stepsS);
  const at = (v: number | undefined) => (v === undefined ? 0 : Math.max(0, x[v]!));
  const steps = Array.from({ length: f.n }, (_, t) => ({
    timeMs: bounds[t]!,
    durationS: f.stepsS[t]!,
    hps: index.hps.map((h) => {
      // In a relaxed tail, on/off may be fractional: a unit counts as on when it makes heat.
      const on = x[h.on[t]!]! > 0.5 || x[h.heat[t]!]! > 1e-6;
      const heatKw = on ? at(h.heat[t]) : 0;
      return { id: h.id, on, heatKw, elecKw: heatKw / h.cop[t]!, cop: h.cop[t]! };
    }),
    dhSoldKw: at(index.sold[t]),
    ghDirectKw: at(index.greenhouse?.direct[t]),
    ghBoostKw: at(index.greenhouse?.boost[t]),
    ghTempC: index.greenhouse ? x[index.greenhouse.temp[t]!]! : null,
    storageChargeKw: at(index.storage?.charge[t]),
    storageDischargeKw: at(index.storage?.discharge[t]),
    storageEnergyKwh: at(index.storage?.energy[t]),
    dumpKw: at(index.reject.dump[t]),
    chillerKw: at(index.reject.chiller[t]),
    itHeatKw: f.itHeatKw[t]!,
    priceElEurPerMwh: f.priceElEurPerMwh[t]!,
    ...(index.shortfall ? { coolingShortfallKw: at(index.shortfall[t]) } : {}),
  }));
  return { objectiveEur, steps };
}

import type { PlantModel } from "../model/plant-model.ts";

/**
 * Energy closure of a run from quantities recorded independently of one another, step by step (kW):
 * - facility water: IT heat in = what the heat pumps take (heat out − electricity in, energy conservation, not the
 *   COP column) + greenhouse direct + dump + chiller + what the water itself stores (capacity × supply change);
 * - hot loop: heat-pump heat = heat sold + greenhouse boost + net store charge;
 * - store: its energy change = net charge × efficiency (or discharge ÷ efficiency) − standing loss.
 * The plant's own `balance_residual_kw` is computed from the same numbers it balances, so it cannot see a bug that
 * makes heat from nothing; this can (a step's heat-pump output raised by 50 kW shows as 50 kW here).
 */
export interface Closure {
  /** Largest residual of any balance at any step (kW). */
  maxResidualKw: number;
  /** Where it is, for a report or a failing test. */
  worst: { step: number; balance: "facility" | "hot loop" | "store"; kw: number } | null;
  /** Residuals summed over the run (kWh), per balance. */
  facilityKwh: number;
  hotLoopKwh: number;
  storeKwh: number;
}

export interface ClosureInput {
  model: PlantModel;
  columns: ReadonlyMap<string, Float64Array>;
  n: number;
  stepS: number;
  /** The state before the first step (the recorded temperatures and energies are at each step's end). */
  fwSupplyStartC: number;
  storageStartKwh: number;
}

export function energyClosure(c: ClosureInput): Closure {
  const m = c.model;
  const zero = new Float64Array(c.n);
  const col = (name: string) => c.columns.get(name) ?? zero;
  const dtH = c.stepS / 3600;
  const it = col("it_heat_kw");
  const hpHeat = m.heatPumps.map((h) => col(`${h.id}_heat_kw`));
  const hpElec = m.heatPumps.map((h) => col(`${h.id}_elec_kw`));
  const [direct, boost, sold, dump, chiller, fw] = ["gh_direct_kw", "gh_boost_kw", "dh_sold_kw", "dump_kw", "chiller_kw", "fw_supply_temp_c"].map(col) as Float64Array[];
  const [energy, net, loss] = ["storage_energy_kwh", "storage_charge_kw", "storage_loss_kw"].map(col) as Float64Array[];
  const capKwhPerK = m.facilityWater.capacityKwhPerK;
  const eta = m.storage?.efficiency ?? 1;
  const out: Closure = { maxResidualKw: 0, worst: null, facilityKwh: 0, hotLoopKwh: 0, storeKwh: 0 };
  let prevT = c.fwSupplyStartC;
  let prevE = c.storageStartKwh;
  for (let i = 0; i < c.n; i++) {
    let heat = 0;
    let taken = 0;
    for (let k = 0; k < hpHeat.length; k++) {
      heat += hpHeat[k]![i]!;
      taken += hpHeat[k]![i]! - hpElec[k]![i]!;
    }
    const facility = it[i]! - taken - direct![i]! - dump![i]! - chiller![i]! - (capKwhPerK * (fw![i]! - prevT)) / dtH;
    const hot = heat - sold![i]! - boost![i]! - net![i]!;
    const n = net![i]!;
    const store = m.storage ? (energy![i]! - prevE) / dtH - (n > 0 ? n * eta : n / eta) + loss![i]! : 0;
    prevT = fw![i]!;
    prevE = energy![i]!;
    out.facilityKwh += facility * dtH;
    out.hotLoopKwh += hot * dtH;
    out.storeKwh += store * dtH;
    for (const [balance, kw] of [["facility", facility], ["hot loop", hot], ["store", store]] as const) {
      if (Math.abs(kw) > out.maxResidualKw) {
        out.maxResidualKw = Math.abs(kw);
        out.worst = { step: i, balance, kw };
      }
    }
  }
  return out;
}

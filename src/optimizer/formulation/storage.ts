import { tankThermalCapacityKwhPerK } from "../../physics/storage.ts";
import type { FormulationContext } from "./context.ts";

export interface StorageVars {
  charge: number[];
  discharge: number[];
  /** energy[t] is the store's content at the END of step t. */
  energy: number[];
}

/**
 * Hot-water store: E[t+1] = a·E[t] + k·(η·charge − discharge/η − L0) with the exact solution of the standing
 * loss UA·(T − T_amb) over the step (a = e^(−αΔt), k = (1 − a)/α, α = UA/C), the same as the simulator.
 * At empty, the return flow holds the tank at its return temperature: a free "hold" term up to L0 lets the model
 * sit at zero (it may shave up to L0, ~1 kW here, off the loss elsewhere too: an accepted approximation).
 * Terminal value: what is left is worth its later sale.
 */
export function addStorage(ctx: FormulationContext): StorageVars | null {
  const { b, m, n, dtH } = ctx;
  const st = m.storage;
  if (!st) return null;
  const tank = st.tank;
  const alpha = tank.uaKwPerK / tankThermalCapacityKwhPerK(tank);
  const l0Kw = Math.max(0, tank.uaKwPerK * (tank.returnTempC - tank.ambientTempC));
  const eta = st.efficiency;
  const v: StorageVars = { charge: [], discharge: [], energy: [] };
  const e0 = Math.min(st.capacityKwh, Math.max(0, ctx.s.storageEnergyKwh));
  for (let t = 0; t < n; t++) {
    const a = Math.exp(-alpha * dtH[t]!);
    const k = alpha > 0 ? (1 - a) / alpha : dtH[t]!;
    const ch = b.addVar(`st_charge_${t}`, 0, st.chargeMaxKw);
    const dis = b.addVar(`st_discharge_${t}`, 0, st.dischargeMaxKw);
    const e = b.addVar(`st_energy_${t}`, 0, st.capacityKwh);
    const hold = b.addVar(`st_hold_${t}`, 0, l0Kw);
    const prev = t === 0 ? null : v.energy[t - 1]!;
    const terms: [number, number][] = [[e, 1], [ch, -k * eta], [dis, k / eta], [hold, -k]];
    if (prev !== null) terms.push([prev, -a]);
    b.addCon(`st_balance_${t}`, "storage", terms, "=", -k * l0Kw + (prev === null ? a * e0 : 0));
    ctx.hotLoop[t]!.push([dis, 1], [ch, -1]);
    v.charge.push(ch);
    v.discharge.push(dis);
    v.energy.push(e);
  }
  const target = ctx.opts.terminalTargetKwh;
  if (target !== undefined) {
    const over = b.addVar("st_target_over", 0, st.capacityKwh);
    const under = b.addVar("st_target_under", 0, st.capacityKwh);
    b.addCon("st_target", "storage", [[v.energy[n - 1]!, 1], [over, -1], [under, 1]], "=", Math.min(st.capacityKwh, Math.max(0, target)));
    const price = (2 * m.economics.heatSaleEurPerMwh) / 1000;
    b.addObj(over, -price);
    b.addObj(under, -price);
    return v;
  }
  const terminal = ctx.opts.terminalValueEurPerMwh ?? m.economics.heatSaleEurPerMwh * eta;
  b.addObj(v.energy[n - 1]!, terminal / 1000);
  return v;
}

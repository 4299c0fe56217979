import type { PlantModel } from "../model/plant-model.ts";
import { ghDirectKwPerK } from "../model/plant-model.ts";
import type { PlcMap } from "../config/plc-schema.ts";
import type { Setpoints } from "./types.ts";

/**
 * The last gate before the wire: every setpoint within the model's engineering limits, then every register within
 * its PLC map's min/max (a PLC refuses a whole write when one value is out of range, and then falls to safe). A
 * clamp is reported, never silent. The model and the maps must agree on the limits: `modelMapDisagreements`.
 */
export interface Clamped<T> {
  value: T;
  /** One line per clamp, e.g. "hp1 heat 700.0 → 650.0 kW (model heat_max_kw)". */
  clamps: string[];
}

/** The model's own limit of each setpoint register, where it has one (kW). */
export function modelLimitsKw(m: PlantModel): Record<string, { max: number; field: string }> {
  const out: Record<string, { max: number; field: string }> = {};
  m.heatPumps.forEach((h, i) => (out[`${h.id}_heat_setpoint_kw`] = { max: h.heatMaxKw, field: `heat_pumps[${i}].heat_max_kw` }));
  out.dh_sold_setpoint_kw = { max: m.network.contractMaxKw, field: "network.contract_max_kw" };
  if (m.greenhouse) {
    out.gh_boost_setpoint_kw = { max: m.greenhouse.boostMaxKw, field: "greenhouse.boost_max_kw" };
    // The exchanger at its best: facility water at its return temperature, greenhouse at 0 °C.
    out.gh_direct_setpoint_kw = { max: ghDirectKwPerK(m) * Math.max(0, m.facilityWater.returnTempC - m.greenhouse.directHx.emitterOffsetK), field: "greenhouse.direct_hx (at 0 °C air)" };
  }
  return out;
}

export function clampToModel(m: PlantModel, sp: Setpoints): Clamped<Setpoints> {
  const clamps: string[] = [];
  const lim = modelLimitsKw(m);
  const clamp = (what: string, v: number, max: number, field: string): number => {
    const c = Number.isFinite(v) ? Math.min(Math.max(v, 0), max) : 0;
    if (c !== v) clamps.push(`${what} ${fmt(v)} → ${fmt(c)} kW (model ${field})`);
    return c;
  };
  const value: Setpoints = {
    hps: sp.hps.map((h) => {
      const l = lim[`${h.id}_heat_setpoint_kw`];
      return { id: h.id, on: h.on, heatKw: clamp(`${h.id} heat`, h.heatKw, l?.max ?? 0, l?.field ?? "(no such unit)") };
    }),
    dhSoldKw: clamp("heat sold", sp.dhSoldKw, lim.dh_sold_setpoint_kw!.max, lim.dh_sold_setpoint_kw!.field),
    ghDirectKw: clamp("greenhouse direct", sp.ghDirectKw, lim.gh_direct_setpoint_kw?.max ?? 0, lim.gh_direct_setpoint_kw?.field ?? "greenhouse: none"),
    ghBoostKw: clamp("greenhouse boost", sp.ghBoostKw, lim.gh_boost_setpoint_kw?.max ?? 0, lim.gh_boost_setpoint_kw?.field ?? "greenhouse: none"),
  };
  return { value, clamps };
}

/** Register values within their map's min/max (registers no map has pass through: the port reports them). */
export function clampToMaps(maps: readonly PlcMap[], regs: Readonly<Record<string, number>>): Clamped<Record<string, number>> {
  const spec = new Map(maps.flatMap((p) => p.registers.map((r) => [r.name, { r, plc: p.plc }] as const)));
  const clamps: string[] = [];
  const value: Record<string, number> = {};
  for (const [name, v] of Object.entries(regs)) {
    const s = spec.get(name);
    if (!s) {
      value[name] = v;
      continue;
    }
    const c = Number.isFinite(v) ? Math.min(Math.max(v, s.r.min), s.r.max) : (s.r.safe ?? s.r.min);
    if (c !== v) clamps.push(`${name} ${fmt(v)} → ${fmt(c)} (PLC ${s.plc} limits ${s.r.min}…${s.r.max})`);
    value[name] = c;
  }
  return { value, clamps };
}

/** Where the PLC maps' limits differ from the model's (each a line naming both), for validate and the daemon. */
export function modelMapDisagreements(m: PlantModel, maps: readonly PlcMap[]): string[] {
  const out: string[] = [];
  for (const [name, l] of Object.entries(modelLimitsKw(m))) {
    const hit = maps.flatMap((p) => p.registers.filter((r) => r.name === name).map((r) => ({ r, p })))[0];
    if (!hit) {
      out.push(`no PLC map has the register ${name} that the model's ${l.field} needs`);
      continue;
    }
    // The direct exchanger's ceiling depends on temperatures: the map may stop below it, never above.
    const agrees = name === "gh_direct_setpoint_kw" ? hit.r.max <= l.max + 1e-6 : Math.abs(hit.r.max - l.max) < 1e-6;
    if (!agrees) out.push(`${hit.p.plc} ${name} max ${hit.r.max} kW ≠ model ${l.field} ${fmt(l.max)} kW`);
    if (hit.r.min > 0) out.push(`${hit.p.plc} ${name} min ${hit.r.min} kW: a setpoint must be able to reach 0`);
  }
  return out;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : String(v);
}

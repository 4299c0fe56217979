import type { PlantModel } from "../model/plant-model.ts";
import type { KwRange, PlanBounds } from "../optimizer/plan-types.ts";
import { stepBoundsMs } from "../optimizer/plan-grid.ts";
import type { Setpoints } from "../control/types.ts";
import { overrideStatus, type Override } from "./overrides.ts";

/**
 * Overrides into the two places they act: the optimizer's bounds per plan step (so the plan is made around them)
 * and the setpoints written this cycle (so they hold in every mode of the ladder, even while no plan follows them).
 */

/**
 * Whether an override covers plan step [s, e): at least half of it, or the step that holds now while it is active
 * (what a plan is made with); with anyOverlap, any part of it (what the cooling check assumes, to be safe).
 */
function covers(o: Override, s: number, e: number, nowMs: number, anyOverlap: boolean): boolean {
  const end = Math.min(o.expiryMs, o.clearedMs ?? Infinity);
  const overlapMs = Math.min(e, end) - Math.max(s, o.startMs);
  if (overlapMs <= 0) return false;
  return anyOverlap || overlapMs * 2 >= e - s || (s <= nowMs && nowMs < e && o.startMs <= nowMs);
}

const RANGE_TARGETS = { dh_sold: "dhSoldKw", gh_direct: "ghDirectKw", gh_boost: "ghBoostKw", dry_coolers: "dumpKw", chiller: "chillerKw" } as const;

/** The overrides as bounds on the plan's grid starting at startMs (steps the overrides do not cover stay free). */
export function overrideBounds(m: PlantModel, overrides: readonly Override[], startMs: number, stepsS: readonly number[], o: { anyOverlap?: boolean } = {}): PlanBounds {
  const bounds = stepBoundsMs(startMs, stepsS);
  const n = stepsS.length;
  const out: PlanBounds = {};
  for (const ov of overrides) {
    const st = overrideStatus(ov, startMs);
    if (st === "cleared" || st === "expired") continue;
    const steps = Array.from({ length: n }, (_, t) => covers(ov, bounds[t]!, bounds[t + 1]!, startMs, o.anyOverlap ?? false));
    if (!steps.some(Boolean)) continue;
    if (m.heatPumps.some((h) => h.id === ov.target)) {
      const arr = ((out.hp ??= {})[ov.target] ??= Array.from({ length: n }, () => null));
      steps.forEach((on, t) => on && (arr[t] = ov.kind === "fixed" ? { on: true, heatKw: ov.value! } : { on: false }));
      continue;
    }
    const key = RANGE_TARGETS[ov.target as keyof typeof RANGE_TARGETS];
    if (!key) continue;
    const arr = (out[key] ??= Array.from({ length: n }, () => null as KwRange | null));
    const range: KwRange = ov.kind === "setpoint" ? { minKw: ov.value!, maxKw: ov.value! } : { minKw: 0, maxKw: ov.value! };
    steps.forEach((on, t) => on && (arr[t] = range));
  }
  return out;
}

/**
 * The setpoints of this cycle with the active overrides applied (before the clamp to engineering and PLC limits).
 * In `safe` only the overrides that take something out of service apply: with no view of the plant, chaleur writes
 * nothing it chose, but a unit locked out for maintenance stays off.
 */
export function applyOverrides(sp: Setpoints, active: readonly Override[], safe: boolean): { setpoints: Setpoints; applied: number[] } {
  const applied: number[] = [];
  let out: Setpoints = { ...sp, hps: sp.hps.map((h) => ({ ...h })) };
  for (const o of active) {
    const hp = out.hps.find((h) => h.id === o.target);
    if (hp) {
      if (o.kind === "fixed") {
        if (safe) continue;
        hp.on = true;
        hp.heatKw = o.value!;
      } else {
        hp.on = false;
        hp.heatKw = 0;
      }
      applied.push(o.id);
      continue;
    }
    if (safe) continue;
    const field = o.target === "dh_sold" ? "dhSoldKw" : o.target === "gh_boost" ? "ghBoostKw" : o.target === "gh_direct" ? "ghDirectKw" : null;
    // Dry coolers and chiller have no setpoint of chaleur's: their limits act through the plan alone.
    if (!field) continue;
    out = { ...out, [field]: o.kind === "setpoint" ? o.value! : Math.min(out[field], o.value!) };
    applied.push(o.id);
  }
  return { setpoints: out, applied };
}

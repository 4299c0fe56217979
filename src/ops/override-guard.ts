import type { PlantModel } from "../model/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { stepBoundsMs } from "../optimizer/plan-grid.ts";
import { coolingCheck, parisTime } from "./cooling-check.ts";
import { describeOverride, type Override } from "./overrides.ts";

/**
 * Overrides accepted hours ago may no longer be safe together: a heatwave forecast arrives, a unit trips (issue 18
 * item 2). Before each plan the daemon re-checks every pending override on the new forecast; when they would take
 * cooling away, cooling wins: the plan is made without the operators' limits that cooling needs, set aside one at
 * a time at the failing step until the check passes, and each one set aside is named with the reason. Limits go
 * before lock-outs, because a locked-out unit may be physically unable to run (valves open, compressor out), while
 * a limit is a preference. Pure.
 */
export interface SetAside {
  override: Override;
  /** Why: the check's finding at the step where it was set aside. */
  why: string;
}

export interface GuardResult {
  /** The overrides the plan honours. */
  kept: Override[];
  setAside: SetAside[];
  /** What the check found with every override as set (null: safe together): the ones at the failing step. */
  unsafe: { ids: number[]; stepMs: number; reason: string } | null;
  /** False when even without any override the plant cannot take the servers' heat at some step. */
  coolable: boolean;
}

export interface GuardInput {
  model: PlantModel;
  forecast: PlanForecast;
  storageEnergyKwh: number;
  ghTempC: number | null;
  overrides: readonly Override[];
}

const COOLING_PATHS = new Set(["chiller", "dry_coolers", "gh_direct"]);

/** Which override goes first when cooling needs them gone (lower first). */
export function setAsideRank(o: Pick<Override, "target" | "kind">): number {
  if (o.kind === "lockout") return 4;
  if (COOLING_PATHS.has(o.target)) return 0;
  if (o.kind === "off") return 1;
  if (o.kind === "fixed") return 3;
  return 2;
}

export function guardOverrides(g: GuardInput): GuardResult {
  const check = (kept: readonly Override[]) => coolingCheck({ model: g.model, forecast: g.forecast, storageEnergyKwh: g.storageEnergyKwh, ghTempC: g.ghTempC, overrides: kept, proposed: null });
  const times = stepBoundsMs(g.forecast.startMs, g.forecast.stepsS);
  const at = (o: Override, t: number) => o.startMs < times[t + 1]! && Math.min(o.expiryMs, o.clearedMs ?? Infinity) > times[t]!;
  const first = check(g.overrides);
  if (first.ok) return { kept: [...g.overrides], setAside: [], unsafe: null, coolable: true };
  const t0 = first.failedStep!.index;
  const unsafe = { ids: g.overrides.filter((o) => at(o, t0)).map((o) => o.id), stepMs: first.failedStep!.startMs, reason: first.reason! };
  let kept = [...g.overrides];
  const setAside: SetAside[] = [];
  let v = first;
  let coolable = true;
  while (!v.ok) {
    const t = v.failedStep!.index;
    const candidates = kept.filter((o) => at(o, t)).sort((a, z) => setAsideRank(a) - setAsideRank(z) || a.id - z.id);
    const next = candidates[0];
    if (!next) {
      // Nothing of the operators' left at this step: the plant itself cannot cool there (the plan then takes every
      // unit it has; the alarm says so).
      coolable = false;
      break;
    }
    kept = kept.filter((o) => o !== next);
    setAside.push({ override: next, why: `cooling needs it at ${parisTime(times[t]!)}: ${v.reason}` });
    v = check(kept);
  }
  return { kept, setAside, unsafe, coolable };
}

/** "#3 chiller at most 0 kW, #4 hp2 forced off" */
export function listOverrides(os: readonly Override[]): string {
  return os.map((o) => `#${o.id} ${describeOverride(o)}`).join(", ");
}

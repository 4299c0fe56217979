import type { DaemonStatus } from "./cycle.ts";

/**
 * `GET /api/health` (DESIGN §6): no login, nothing secret. `ok` when the ladder is at `optimal` with every link up
 * and cycles on time; `degraded` when chaleur still controls but something is off (held, rule, a link down);
 * `down` in `safe` or when no cycle has finished for three periods (the PLC watchdogs are, or soon will be, in
 * charge).
 */
export interface HealthBody {
  status: "ok" | "degraded" | "down";
  mode: string;
  mode_cause: string;
  plant_time: string;
  last_cycle_at: string | null;
  last_cycle_ms: number | null;
  plan_age_s: number | null;
  connections: { opcua: "up" | "down"; plcs: Record<string, "up" | "down"> };
  version: string;
}

export function healthBody(s: DaemonStatus, nowWallMs: number, ioPeriodWallMs: number, version: string): HealthBody {
  const late = s.lastCycleAtMs === null || nowWallMs - s.lastCycleAtMs > 3 * ioPeriodWallMs + 1000;
  const linksUp = s.opcua === "up" && Object.values(s.plcs).every((p) => p === "up");
  const status = late || s.mode === "safe" ? "down" : s.mode === "optimal" && linksUp ? "ok" : "degraded";
  return {
    status,
    mode: s.mode,
    mode_cause: s.modeCause,
    plant_time: new Date(s.plantTimeMs).toISOString(),
    last_cycle_at: s.lastCycleAtMs === null ? null : new Date(s.lastCycleAtMs).toISOString(),
    last_cycle_ms: s.lastCycleMs === null ? null : Math.round(s.lastCycleMs * 10) / 10,
    plan_age_s: s.planAgeS,
    connections: { opcua: s.opcua, plcs: s.plcs },
    version,
  };
}

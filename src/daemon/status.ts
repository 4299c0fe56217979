import type { Mode } from "../control/types.ts";

/** Plant time: the wall clock on a plant; the simulator's clock in the demo (rate = plant seconds per wall second). */
export interface DaemonClock {
  nowMs(): number;
  rate: number;
}

/** What the daemon shows of itself (the API, the HMI, the alarms): one value per cycle, on an rxjs subject. */
export interface DaemonStatus {
  mode: Mode;
  modeCause: string;
  plantTimeMs: number;
  /** Wall time the last cycle ended, and how long it took. */
  lastCycleAtMs: number | null;
  lastCycleMs: number | null;
  cycles: number;
  planAgeS: number | null;
  planInFlight: boolean;
  opcua: "up" | "down";
  plcs: Record<string, "up" | "down">;
  /** The registers written by the last cycle, and when the plan it followed was made (null: none followed). */
  written: Record<string, number>;
  followedPlanMadeAtMs: number | null;
  opcuaError: string | null;
  /** Each PLC's last write problem (null error and no mismatches: fine). */
  plcDetail: Record<string, { error: string | null; mismatches: string[] }>;
  planFailuresInARow: number;
  lastPlanFailure: string | null;
  /** Overrides that shaped the last cycle's writes. */
  overridesApplied: number[];
}

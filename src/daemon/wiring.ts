import type { DaemonConfig } from "../config/daemon-config.ts";
import type { EstimateTag } from "../control/estimate.ts";
import { MPC_TUNING, planTuning } from "../control/mpc-tuning.ts";
import { planGrid } from "../optimizer/plan-grid.ts";
import type { DaemonDeps } from "./cycle.ts";

/** The parts of the daemon's dependencies that come from its config alone (ports, planner, clock come from outside). */
export function daemonDepsFrom(cfg: DaemonConfig): Pick<DaemonDeps, "model" | "maps" | "tags" | "control"> {
  const grid = planGrid(cfg.control.grid);
  // The simulator's measured tuning, with the config's wall-clock limit: on a plant a plan must come in time.
  const tuning = { ...planTuning({ ...MPC_TUNING, timeLimitMs: cfg.control.solveTimeLimitMs }, grid) };
  return {
    model: cfg.model,
    maps: cfg.maps,
    tags: new Map<string, EstimateTag>(cfg.wire.opcua.tags.map((t) => [t.measurement, { measurement: t.measurement, maxAgeS: t.maxAgeS }])),
    control: {
      ioPeriodS: cfg.control.ioPeriodS,
      replanS: cfg.control.replanS,
      grid,
      tuning,
      heldMaxS: cfg.control.heldMaxS,
      replanThresholdItKw: cfg.control.replanThresholdItKw,
      replanThresholdDemandKw: cfg.control.replanThresholdDemandKw,
    },
  };
}

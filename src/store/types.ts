import type { Sample, WriteReport } from "../io/types.ts";
import type { Mode } from "../control/types.ts";
import type { Plan } from "../optimizer/plan-types.ts";
import type { StepRecord } from "../report/record.ts";

/** What one cycle did, as the history keeps it: the samples read, the record, the decision's cause, the writes. */
export interface CycleFacts {
  /** Plant time of the cycle, ms. */
  timeMs: number;
  samples: ReadonlyMap<string, Sample>;
  record: StepRecord;
  cause: string;
  /** The plan whose step was followed (null under rule or safe). */
  planMadeAtMs: number | null;
  reports: readonly WriteReport[];
  /** Wall time the cycle took, ms. */
  cycleMs: number;
}

/** A planning attempt: a verified plan (with its schedule) or a failure (with its message). */
export interface PlanFacts {
  madeAtMs: number;
  trigger: string;
  status: string;
  objectiveEur: number | null;
  solver: string | null;
  solveMs: number | null;
  gapPct: number | null;
  message: string | null;
  plan: Plan | null;
}

export interface ModeChangeFacts {
  timeMs: number;
  from: Mode | "starting";
  to: Mode;
  cause: string;
}

/** One quantity's forecast a plan was made on: per-step means over the step bounds. */
export interface ForecastFacts {
  issuedMs: number;
  quantity: string;
  source: string;
  why?: string;
  boundsMs: number[];
  values: number[];
}

export interface RunInfo {
  startedWallMs: number;
  pid: number;
  version: string;
  config: string;
  model: string;
  /** The plant model the run planned with, as JSON (the report values a period with its prices). */
  modelJson?: string;
}

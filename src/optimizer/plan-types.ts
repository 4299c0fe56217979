/** Inputs and outputs of one optimization: plain data, so a worker thread can take and return them. */

export interface PlanForecast {
  startMs: number;
  /** Duration of each step (s); see plan-grid.ts. */
  stepsS: number[];
  /** Number of steps (= stepsS.length). */
  n: number;
  itHeatKw: number[];
  outdoorTempC: number[];
  solarWm2: number[];
  priceElEurPerMwh: number[];
  /** Heat the network would take (before the contract limit). */
  dhDemandKw: number[];
  /** hpAvailable[i][t] for each heat pump of the model, in model order. */
  hpAvailable: boolean[][];
  /**
   * How far the outdoor temperature forecast may be off at each step (1 σ, K; 0 where observed). Absent: taken as
   * exact (the oracle's perfect foresight, or feeds that state no skill). See formulation/greenhouse.ts.
   */
  outdoorTempSigmaK?: number[];
}

export interface PlanHpState {
  on: boolean;
  heatKw: number;
  /** Seconds in the current on/off state (for minimum up/down times). */
  stateS: number;
}

export interface PlanState {
  storageEnergyKwh: number;
  ghTempC: number | null;
  hps: PlanHpState[];
}

/** Fixed values that replace the optimizer's freedom (operator overrides, tests of infeasibility). */
export interface PlanFixes {
  hp?: Record<string, { on: boolean; heatKw: number }>;
  dumpMaxKw?: number;
  chillerMaxKw?: number;
  /** Steps the fixes apply to, from the start (default: all). */
  steps?: number;
}

/** A power's bounds at one step (kW). */
export interface KwRange {
  minKw: number;
  maxKw: number;
}

/** A heat pump held off, or on at a fixed output, at one step. */
export type HpBound = { on: false } | { on: true; heatKw: number };

/**
 * Operators' overrides as bounds per plan step (index t; null or absent: free). Unlike `fixes` (one set of values
 * over the first steps), each override has its own window on the grid.
 */
export interface PlanBounds {
  hp?: Record<string, (HpBound | null)[]>;
  dhSoldKw?: (KwRange | null)[];
  ghDirectKw?: (KwRange | null)[];
  ghBoostKw?: (KwRange | null)[];
  dumpKw?: (KwRange | null)[];
  chillerKw?: (KwRange | null)[];
}

export interface PlanOptions {
  /**
   * Steps from the start whose on/off decisions are binary; beyond them on/off is relaxed to [0, 1] (a relaxed
   * tail: the far horizon only values energy, its exact commitment is re-decided later). Default: all steps.
   */
  integerSteps?: number;
  /** Value of heat left in the store at the horizon's end, €/MWh (default: heat sale price × discharge efficiency). */
  terminalValueEurPerMwh?: number;
  /**
   * Instead of a terminal value: the store should end the horizon at this energy (kWh), deviations priced at
   * twice the heat sale price (a longer plan's trajectory, followed by a shorter one).
   */
  terminalTargetKwh?: number;
  fixes?: PlanFixes;
  bounds?: PlanBounds;
  /**
   * Last resort when the plant cannot take the servers' heat at all (every override already set aside): the
   * cooling balance gets a shortfall priced at COOLING_SHORTFALL_EUR_PER_KWH, so the plan still exists and removes
   * all the heat it can, every available unit at its most. Never set otherwise: cooling first stays hard.
   */
  coolingShortfall?: boolean;
}

/** Far above any price of heat or power: a kWh of cooling not given costs more than anything the plan could earn. */
export const COOLING_SHORTFALL_EUR_PER_KWH = 100;

export interface PlanStep {
  timeMs: number;
  durationS: number;
  hps: { id: string; on: boolean; heatKw: number; elecKw: number; cop: number }[];
  dhSoldKw: number;
  ghDirectKw: number;
  ghBoostKw: number;
  ghTempC: number | null;
  storageChargeKw: number;
  storageDischargeKw: number;
  storageEnergyKwh: number;
  dumpKw: number;
  chillerKw: number;
  itHeatKw: number;
  priceElEurPerMwh: number;
  /** Servers' heat the plan cannot remove (only with the coolingShortfall option; else absent). */
  coolingShortfallKw?: number;
}

export interface Plan {
  objectiveEur: number;
  steps: PlanStep[];
}

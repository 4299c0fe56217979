/** What a controller sees and decides. The simulator and (later) the daemon speak these same types. */

export type Mode = "optimal" | "held" | "rule" | "safe";
export const MODES: readonly Mode[] = ["optimal", "held", "rule", "safe"];

export interface HpObservation {
  id: string;
  available: boolean;
  running: boolean;
  heatKw: number;
  /** Seconds in the current on/off state (a starting unit counts as on). */
  stateS: number;
  /** COP at full load at the current temperatures. */
  cop: number;
}

export interface Observation {
  timeMs: number;
  itHeatKw: number;
  outdoorTempC: number;
  solarWm2: number;
  priceElEurPerMwh: number;
  /** What the network would take now (0 when it is not taking heat). */
  dhDemandKw: number;
  fwSupplyTempC: number;
  hotLoopSupplyC: number;
  storageEnergyKwh: number;
  /** Greenhouse air temperature, null for a plant without one. */
  ghTempC: number | null;
  /** Free heat the direct exchanger could give the greenhouse now. */
  ghDirectMaxKw: number;
  hps: HpObservation[];
}

export interface HpSetpoint {
  id: string;
  on: boolean;
  heatKw: number;
}

export interface Setpoints {
  hps: HpSetpoint[];
  /** Heat to deliver to the network (the plant delivers at most the demand and the contract limit). */
  dhSoldKw: number;
  ghDirectKw: number;
  ghBoostKw: number;
}

export interface Decision {
  setpoints: Setpoints;
  mode: Mode;
  /** Solver wall time for optimizing controllers, null otherwise. */
  solveMs: number | null;
}

/** A controller decides setpoints from an observation; forecasts, if any, are injected at construction. */
export interface Controller {
  readonly name: string;
  decide(obs: Observation): Decision;
}

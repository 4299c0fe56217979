import { eventActive, type Scenario } from "../config/scenario.ts";
import type { Controller, Decision } from "../control/types.ts";
import { ColumnsRecorder, timeseriesColumns, type Recorder, type StepRecord } from "../report/record.ts";
import type { ScenarioInputs } from "./inputs.ts";
import { initialPlantState, observe, plantStep, type StepInputs } from "./plant.ts";

/** One column per recorded quantity, one value per physics step. */
export interface SimulationResult {
  scenario: Scenario;
  controller: string;
  inputs: ScenarioInputs;
  columns: Map<string, Float64Array>;
  /** Index into MODES per step. */
  mode: Uint8Array;
  hpStarts: number[];
  solveMs: number[];
}

export interface RunOptions {
  /** Called now and then with the fraction done (0..1). */
  onProgress?: (fraction: number) => void;
  /** A further sink for every step's record (the result's columns are always kept). */
  recorder?: Recorder;
}

export function runSimulation(sc: Scenario, inputs: ScenarioInputs, controller: Controller, opts: RunOptions = {}): SimulationResult {
  const m = sc.model;
  const n = inputs.n;
  const dtS = inputs.stepS;
  const recorder = new ColumnsRecorder(timeseriesColumns(m), n, m.heatPumps.length);
  // One record object reused every step (a year is 525,600 of them); the recorder copies what it keeps.
  const values: Record<string, number> = Object.fromEntries(timeseriesColumns(m).map((k) => [k, 0]));
  const rec: StepRecord = { timeMs: 0, durationS: dtS, mode: "optimal", hpStarts: 0, values };
  const hpKeys = m.heatPumps.map((h) => ({ heat: `${h.id}_heat_kw`, elec: `${h.id}_elec_kw`, cop: `${h.id}_cop` }));
  const opt = opts.recorder;

  let state = initialPlantState(m);
  const hpStarts = m.heatPumps.map(() => 0);
  const solveMs: number[] = [];
  const periodSteps = Math.max(1, Math.round(sc.control.periodS / dtS));
  const progressEvery = Math.max(1, Math.floor(n / 200));
  let decision: Decision | null = null;

  for (let i = 0; i < n; i++) {
    const t = inputs.startMs + i * dtS * 1000;
    const up = !eventActive(sc, "network_outage", t);
    const inp: StepInputs = {
      timeMs: t,
      itHeatKw: inputs.itHeatKw[i]!,
      outdoorTempC: inputs.outdoorTempC[i]!,
      solarWm2: inputs.solarWm2[i]!,
      dhDemandKw: up ? inputs.dhDemandKw[i]! : 0,
      hpAvailable: m.heatPumps.map((h) => !eventActive(sc, "hp_trip", t, h.id)),
    };
    if (i % periodSteps === 0 || decision === null) {
      decision = controller.decide(observe(m, state, inp, inputs.priceElEurPerMwh[i]!));
      if (decision.solveMs !== null) solveMs.push(decision.solveMs);
    }
    const { state: next, flows } = plantStep(m, state, decision.setpoints, inp, dtS);

    values.it_heat_kw = inp.itHeatKw;
    for (let k = 0; k < hpKeys.length; k++) {
      const c = hpKeys[k]!;
      values[c.heat] = flows.hpHeatKw[k]!;
      values[c.elec] = flows.hpElecKw[k]!;
      values[c.cop] = flows.hpHeatKw[k]! > 0 ? flows.hpCop[k]! : 0;
    }
    let starts = 0;
    flows.hpStarted.forEach((started, k) => {
      if (started) {
        hpStarts[k]!++;
        starts++;
      }
    });
    values.dh_demand_kw = Math.min(inp.dhDemandKw, m.network.contractMaxKw);
    values.dh_sold_kw = flows.dhSoldKw;
    if (m.greenhouse) {
      values.gh_direct_kw = flows.ghDirectKw;
      values.gh_boost_kw = flows.ghBoostKw;
      values.gh_temp_c = next.ghTempC;
      values.gh_vent_kw = flows.ventKw;
    }
    if (m.storage) {
      values.storage_energy_kwh = next.storageEnergyKwh;
      values.storage_charge_kw = flows.storageNetKw;
      values.storage_loss_kw = flows.storageLossKw;
    }
    values.dump_kw = flows.dumpKw;
    values.dump_fan_elec_kw = flows.fanElecKw;
    values.chiller_kw = flows.chillerKw;
    values.chiller_elec_kw = flows.chillerElecKw;
    values.fw_supply_temp_c = next.fwSupplyTempC;
    values.outdoor_temp_c = inp.outdoorTempC;
    values.solar_w_m2 = inp.solarWm2;
    values.price_el_eur_mwh = inputs.priceElEurPerMwh[i]!;
    values.balance_residual_kw = flows.balanceResidualKw;
    rec.timeMs = t;
    rec.mode = decision.mode;
    rec.hpStarts = starts;
    recorder.record(rec);
    opt?.record(rec);
    state = next;
    if (opts.onProgress && i % progressEvery === 0) opts.onProgress(i / n);
  }
  opts.onProgress?.(1);
  return { scenario: sc, controller: controller.name, inputs, columns: recorder.columns, mode: recorder.mode, hpStarts, solveMs };
}

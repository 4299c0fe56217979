import { eventActive, type Scenario } from "../config/scenario.ts";
import { MODES, type Controller, type Decision } from "../control/types.ts";
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
}

export function runSimulation(sc: Scenario, inputs: ScenarioInputs, controller: Controller, opts: RunOptions = {}): SimulationResult {
  const m = sc.model;
  const n = inputs.n;
  const dtS = inputs.stepS;
  const col = (name: string) => {
    const a = new Float64Array(n);
    columns.set(name, a);
    return a;
  };
  const columns = new Map<string, Float64Array>();
  const itHeat = col("it_heat_kw");
  const hpCols = m.heatPumps.map((h) => ({ heat: col(`${h.id}_heat_kw`), elec: col(`${h.id}_elec_kw`), cop: col(`${h.id}_cop`) }));
  const dhDemand = col("dh_demand_kw");
  const dhSold = col("dh_sold_kw");
  const ghDirect = m.greenhouse ? col("gh_direct_kw") : null;
  const ghBoost = m.greenhouse ? col("gh_boost_kw") : null;
  const ghTemp = m.greenhouse ? col("gh_temp_c") : null;
  const ghVent = m.greenhouse ? col("gh_vent_kw") : null;
  const stEnergy = m.storage ? col("storage_energy_kwh") : null;
  const stCharge = m.storage ? col("storage_charge_kw") : null;
  const stLoss = m.storage ? col("storage_loss_kw") : null;
  const dump = col("dump_kw");
  const fan = col("dump_fan_elec_kw");
  const chiller = col("chiller_kw");
  const chillerElec = col("chiller_elec_kw");
  const fwSupply = col("fw_supply_temp_c");
  const outdoor = col("outdoor_temp_c");
  const solar = col("solar_w_m2");
  const price = col("price_el_eur_mwh");
  const residual = col("balance_residual_kw");
  const mode = new Uint8Array(n);

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

    itHeat[i] = inp.itHeatKw;
    for (let k = 0; k < hpCols.length; k++) {
      const c = hpCols[k]!;
      c.heat[i] = flows.hpHeatKw[k]!;
      c.elec[i] = flows.hpElecKw[k]!;
      c.cop[i] = flows.hpHeatKw[k]! > 0 ? flows.hpCop[k]! : 0;
    }
    flows.hpStarted.forEach((started, k) => {
      if (started) hpStarts[k]!++;
    });
    dhDemand[i] = Math.min(inp.dhDemandKw, m.network.contractMaxKw);
    dhSold[i] = flows.dhSoldKw;
    if (ghDirect && ghBoost && ghTemp && ghVent) {
      ghDirect[i] = flows.ghDirectKw;
      ghBoost[i] = flows.ghBoostKw;
      ghTemp[i] = next.ghTempC;
      ghVent[i] = flows.ventKw;
    }
    if (stEnergy && stCharge && stLoss) {
      stEnergy[i] = next.storageEnergyKwh;
      stCharge[i] = flows.storageNetKw;
      stLoss[i] = flows.storageLossKw;
    }
    dump[i] = flows.dumpKw;
    fan[i] = flows.fanElecKw;
    chiller[i] = flows.chillerKw;
    chillerElec[i] = flows.chillerElecKw;
    fwSupply[i] = next.fwSupplyTempC;
    outdoor[i] = inp.outdoorTempC;
    solar[i] = inp.solarWm2;
    price[i] = inputs.priceElEurPerMwh[i]!;
    residual[i] = flows.balanceResidualKw;
    mode[i] = MODES.indexOf(decision.mode);
    state = next;
    if (opts.onProgress && i % progressEvery === 0) opts.onProgress(i / n);
  }
  opts.onProgress?.(1);
  return { scenario: sc, controller: controller.name, inputs, columns, mode, hpStarts, solveMs };
}

import { chillerCapacityAtKw, dumpCapacityKw, fullLoadCops, ghDirectMaxKw, hotLoopSupplyC, type PlantModel } from "../model/plant-model.ts";
import type { Observation, Setpoints } from "../control/types.ts";
import { hpElectricityKw, hpSourceHeatKw } from "../physics/heatpump.ts";
import { tankLossKw, tankStep } from "../physics/storage.ts";
import { greenhouseStep } from "../physics/greenhouse.ts";
import { loopStep } from "../physics/facility-loop.ts";
import { dryCoolerFanKw } from "../physics/dry-cooler.ts";
import { chillerElectricityKw } from "../physics/chiller.ts";
import { effectiveCop, HP_OFF, hpUnitStep, type HpUnitState } from "./heat-pump-unit.ts";

/** The plant simulator: one model shared with the controllers, stepped at the physics step (do-mpc's make_step). */

export interface PlantState {
  fwSupplyTempC: number;
  storageEnergyKwh: number;
  ghTempC: number;
  hps: HpUnitState[];
}

export interface StepInputs {
  timeMs: number;
  itHeatKw: number;
  outdoorTempC: number;
  solarWm2: number;
  /** Heat the network would take now; 0 during an outage. */
  dhDemandKw: number;
  hpAvailable: boolean[];
}

export interface StepFlows {
  hpHeatKw: number[];
  hpElecKw: number[];
  hpCop: number[];
  hpSourceKw: number[];
  /** Which units began a start in this step (for start counts and start costs). */
  hpStarted: boolean[];
  dhSoldKw: number;
  ghDirectKw: number;
  ghBoostKw: number;
  /** Net heat into the store from the hot loop (negative = discharge), before efficiency. */
  storageNetKw: number;
  storageLossKw: number;
  dumpKw: number;
  fanElecKw: number;
  chillerKw: number;
  chillerElecKw: number;
  /** Greenhouse cooling: vents + fog + the solar gain the shading screen keeps out (the `gh_vent_kw` column). */
  ventKw: number;
  /** Largest energy-closure error of the facility loop, the hot loop and the store (kW). */
  balanceResidualKw: number;
}

export function initialPlantState(m: PlantModel): PlantState {
  return {
    fwSupplyTempC: m.facilityWater.supplyTempC,
    storageEnergyKwh: m.storage?.initialEnergyKwh ?? 0,
    ghTempC: m.greenhouse?.initialTempC ?? Number.NaN,
    hps: m.heatPumps.map(() => HP_OFF),
  };
}

export function observe(m: PlantModel, s: PlantState, inp: StepInputs, priceElEurPerMwh: number): Observation {
  const cops = fullLoadCops(m, inp.outdoorTempC);
  return {
    timeMs: inp.timeMs,
    itHeatKw: inp.itHeatKw,
    outdoorTempC: inp.outdoorTempC,
    solarWm2: inp.solarWm2,
    priceElEurPerMwh,
    dhDemandKw: Math.min(inp.dhDemandKw, m.network.contractMaxKw),
    fwSupplyTempC: s.fwSupplyTempC,
    hotLoopSupplyC: hotLoopSupplyC(m, inp.outdoorTempC),
    storageEnergyKwh: s.storageEnergyKwh,
    ghTempC: m.greenhouse ? s.ghTempC : null,
    ghDirectMaxKw: ghDirectMaxKw(m, s.ghTempC),
    hps: m.heatPumps.map((h, i) => {
      const u = s.hps[i]!;
      // A running unit has been on since its start, pre-run included.
      const stateS = u.phase === "on" ? u.phaseS + h.startDelayMin * 60 : u.phaseS;
      return { id: h.id, available: inp.hpAvailable[i] ?? true, running: u.phase !== "off", heatKw: u.heatKw, stateS, cop: cops[i]! };
    }),
  };
}

/** Scales the heat of running units by `factor` (≤ 1): the units' own limiters throttling them. */
function throttle(hps: HpUnitState[], factor: number): HpUnitState[] {
  return hps.map((u) => (u.heatKw > 0 ? { ...u, heatKw: u.heatKw * factor } : u));
}

export function plantStep(m: PlantModel, s: PlantState, sp: Setpoints, inp: StepInputs, dtS: number): { state: PlantState; flows: StepFlows } {
  const dtH = dtS / 3600;
  const fw = m.facilityWater;
  const cops = fullLoadCops(m, inp.outdoorTempC);

  // 1. Heat pumps follow their setpoints through their own start/ramp/min-time logic.
  const hpStarted: boolean[] = [];
  let hps = m.heatPumps.map((h, i) => {
    const set = sp.hps[i];
    const r = hpUnitStep(h, s.hps[i]!, set?.on ?? false, set?.heatKw ?? 0, inp.hpAvailable[i] ?? true, dtS);
    hpStarted.push(r.started);
    return r.state;
  });
  const sourceOf = (units: HpUnitState[]) =>
    units.reduce((a, u, i) => a + hpSourceHeatKw(u.heatKw, effectiveCop(m.heatPumps[i]!, cops[i]!, u.heatKw)), 0);

  // 2. Facility side: heat pumps and the greenhouse exchanger cannot take more than the loop holds above its setpoint.
  const excessKw = ((s.fwSupplyTempC - fw.supplyTempC) * fw.capacityKwhPerK) / dtH;
  const availableKw = Math.max(0, inp.itHeatKw + excessKw);
  const ghDirectKw = Math.min(Math.max(0, sp.ghDirectKw), ghDirectMaxKw(m, s.ghTempC), availableKw);
  const sourceKw = sourceOf(hps);
  if (sourceKw > availableKw - ghDirectKw && sourceKw > 0) hps = throttle(hps, Math.max(0, availableKw - ghDirectKw) / sourceKw);

  // 3. Hot loop: heat-pump heat + discharge = sold + boost + charge; the store floats and absorbs the difference.
  const st = m.storage;
  const eff = st?.efficiency ?? 1;
  // Room and content over this step, net of the standing loss, so the tank is not asked for what it cannot do.
  const lossEstKwh = st ? tankLossKw(st.tank, s.storageEnergyKwh) * dtH : 0;
  const chargeAvailKw = st ? Math.max(0, Math.min(st.chargeMaxKw, (st.capacityKwh - s.storageEnergyKwh + lossEstKwh) / (eff * dtH))) : 0;
  const dischargeAvailKw = st ? Math.max(0, Math.min(st.dischargeMaxKw, ((s.storageEnergyKwh - lossEstKwh) * eff) / dtH)) : 0;
  let hpHeat = hps.reduce((a, u) => a + u.heatKw, 0);
  let soldKw = Math.max(0, Math.min(sp.dhSoldKw, inp.dhDemandKw, m.network.contractMaxKw));
  let boostKw = m.greenhouse ? Math.max(0, Math.min(sp.ghBoostKw, m.greenhouse.boostMaxKw)) : 0;
  let netKw = hpHeat - soldKw - boostKw;
  if (netKw > chargeAvailKw) {
    // Store full: deliver the surplus to the network if it wants it, else the units throttle.
    const extra = Math.min(netKw - chargeAvailKw, Math.min(inp.dhDemandKw, m.network.contractMaxKw) - soldKw);
    soldKw += Math.max(0, extra);
    netKw = hpHeat - soldKw - boostKw;
    if (netKw > chargeAvailKw && hpHeat > 0) {
      hps = throttle(hps, Math.max(0, hpHeat - (netKw - chargeAvailKw)) / hpHeat);
      hpHeat = hps.reduce((a, u) => a + u.heatKw, 0);
      netKw = hpHeat - soldKw - boostKw;
    }
  } else if (-netKw > dischargeAvailKw) {
    // Store empty: the network sale gives way first, then the greenhouse boost.
    let short = -netKw - dischargeAvailKw;
    const cutSold = Math.min(short, soldKw);
    soldKw -= cutSold;
    short -= cutSold;
    boostKw -= Math.min(short, boostKw);
    netKw = hpHeat - soldKw - boostKw;
  }
  let chargeKw = Math.max(0, netKw);
  let dischargeKw = Math.max(0, -netKw);

  let storageEnergyKwh = s.storageEnergyKwh;
  let storageLossKw = 0;
  let storeResidual = 0;
  if (st) {
    const r = tankStep(st.tank, s.storageEnergyKwh, chargeKw * eff - dischargeKw / eff, dtS);
    // Rare: the tank hit a limit inside the step. What it could not take throttles the units; what it could not
    // give is missing from the sale. An empty tank (at the return temperature) is held there by the return flow,
    // so a standing loss that would take it below empty is not counted as a loss.
    let clipKw = r.clippedKwh / dtH;
    if (clipKw > 0) {
      const cut = Math.min(chargeKw, clipKw / eff);
      chargeKw -= cut;
      if (hpHeat > 0) hps = throttle(hps, Math.max(0, hpHeat - cut) / hpHeat);
      hpHeat = hps.reduce((a, u) => a + u.heatKw, 0);
      clipKw -= cut * eff;
    } else if (clipKw < 0) {
      const cut = Math.min(dischargeKw, -clipKw * eff);
      dischargeKw -= cut;
      const cutSold = Math.min(soldKw, cut);
      soldKw -= cutSold;
      boostKw -= cut - cutSold;
      clipKw += cut / eff;
    }
    storageEnergyKwh = r.energyKwh;
    storageLossKw = r.lossKwh / dtH + clipKw;
    storeResidual = chargeKw * eff - dischargeKw / eff - storageLossKw - (storageEnergyKwh - s.storageEnergyKwh) / dtH;
  }
  const hotResidual = hpHeat + dischargeKw - soldKw - boostKw - chargeKw;

  // 4. Greenhouse.
  let ghTempC = s.ghTempC;
  let ventKw = 0;
  if (m.greenhouse) {
    const g = greenhouseStep(m.greenhouse.spec, { tempC: s.ghTempC, heatKw: ghDirectKw + boostKw, outdoorTempC: inp.outdoorTempC, solarWm2: inp.solarWm2, dtS });
    ghTempC = g.tempC;
    // Everything the greenhouse's cooling keeps out of the air: vents, fog and the sun the screen holds off.
    ventKw = g.ventKw + g.fogKw + g.shadeKw;
  }

  // 5. Cooling first: dry coolers, then the chiller, take whatever the loop still holds above its setpoint.
  const hpHeatKw = hps.map((u) => u.heatKw);
  const hpCop = hps.map((u, i) => effectiveCop(m.heatPumps[i]!, cops[i]!, u.heatKw));
  const hpSourceKw = hpHeatKw.map((q, i) => hpSourceHeatKw(q, hpCop[i]!));
  const hpElecKw = hpHeatKw.map((q, i) => hpElectricityKw(q, hpCop[i]!));
  const recovered = hpSourceKw.reduce((a, b) => a + b, 0) + ghDirectKw;
  const restKw = Math.max(0, inp.itHeatKw + excessKw - recovered);
  const dumpCapKw = dumpCapacityKw(m, inp.outdoorTempC);
  const dumpKw = Math.min(restKw, dumpCapKw);
  const chillerCapKw = chillerCapacityAtKw(m, inp.outdoorTempC);
  const chillerKw = Math.min(restKw - dumpKw, chillerCapKw);
  const loop = loopStep({ supplyTempC: s.fwSupplyTempC, capacityKwhPerK: fw.capacityKwhPerK, heatInKw: inp.itHeatKw, heatRemovedKw: recovered + dumpKw + chillerKw, dtS });
  const chillerElecKw =
    chillerKw > 0
      ? chillerElectricityKw({ heatKw: chillerKw, etaCarnot: m.chiller.etaCarnot, evapC: m.chiller.evaporatorTempC, outdoorTempC: inp.outdoorTempC, condenserApproachK: m.chiller.condenserApproachK })
      : 0;

  return {
    state: { fwSupplyTempC: loop.supplyTempC, storageEnergyKwh, ghTempC, hps },
    flows: {
      hpHeatKw,
      hpElecKw,
      hpCop,
      hpSourceKw,
      hpStarted,
      dhSoldKw: soldKw,
      ghDirectKw,
      ghBoostKw: boostKw,
      storageNetKw: chargeKw - dischargeKw,
      storageLossKw,
      dumpKw,
      fanElecKw: dryCoolerFanKw(dumpKw, m.dryCoolers.fanFraction),
      chillerKw,
      chillerElecKw,
      ventKw,
      balanceResidualKw: Math.max(Math.abs(loop.residualKw), Math.abs(hotResidual), Math.abs(storeResidual)),
    },
  };
}

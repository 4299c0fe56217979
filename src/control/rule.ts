import type { PlantModel } from "../model/plant-model.ts";
import { greenhouseNeedKw } from "./comfort.ts";
import type { Controller, Decision, HpSetpoint, Observation } from "./types.ts";

/**
 * The baseline a competent plant runs without chaleur: greenhouse first from the free direct heat, then boost from
 * the hot loop, with a heat pump run for it whatever the price when none runs anyway (a thermostat does not read
 * prices); heat pumps follow the network demand (and top up the store) while electricity is below the break-even
 * price; the store serves the network only down to half full while no heat pump runs for it (kept for the nights
 * and peaks, not sold off at the first expensive hour); the rest is dumped.
 */

/** Share of the store's capacity the rule keeps while its heat pumps are off for the network. */
const STORE_RESERVE_FRACTION = 0.5;
export function ruleDecide(m: PlantModel, obs: Observation, periodS: number): Decision {
  const ghNeedKw = obs.ghTempC === null ? 0 : greenhouseNeedKw(m, { timeMs: obs.timeMs, ghTempC: obs.ghTempC, outdoorTempC: obs.outdoorTempC, solarWm2: obs.solarWm2, periodS, marginK: 0.5 });
  const ghDirectKw = Math.min(ghNeedKw, obs.ghDirectMaxKw);
  const ghBoostWantKw = Math.min(ghNeedKw - ghDirectKw, m.greenhouse?.boostMaxKw ?? 0);

  const elecEurPerMwh = obs.priceElEurPerMwh + m.economics.gridFeeEurPerMwh;
  const st = m.storage;
  const roomKw = st ? Math.min(st.chargeMaxKw, (st.capacityKwh - obs.storageEnergyKwh) / (periodS / 3600)) : 0;
  const demandKw = Math.max(0, obs.dhDemandKw);

  // Heat-pump heat is worth running only where it costs less than the heat it sells; the greenhouse's boost is
  // made whatever the price, by the available unit with the best COP.
  const economic = obs.hps.filter((h) => h.available && elecEurPerMwh / h.cop < m.economics.heatSaleEurPerMwh);
  const forCrop = economic.length === 0 && ghBoostWantKw > 0 ? obs.hps.filter((h) => h.available).sort((a, b) => b.cop - a.cop).slice(0, 1) : [];
  const running = economic.length ? economic : forCrop;
  let wantKw = economic.length ? demandKw + ghBoostWantKw + Math.max(0, roomKw) : ghBoostWantKw;
  // Never pull more source heat than the servers give (minus what goes straight to the greenhouse).
  const sourceLeftKw = Math.max(0, obs.itHeatKw - ghDirectKw);

  const hps: HpSetpoint[] = [];
  let sourceUsedKw = 0;
  for (const [i, hp] of m.heatPumps.entries()) {
    const o = obs.hps[i]!;
    if (!running.includes(o) || wantKw <= 0) {
      hps.push({ id: hp.id, on: false, heatKw: 0 });
      continue;
    }
    const perHeat = 1 - 1 / o.cop;
    const bySource = (sourceLeftKw - sourceUsedKw) / perHeat;
    let q = Math.min(hp.heatMaxKw, wantKw, bySource);
    // Below half its minimum load a unit is not worth starting; between half and the minimum it runs at minimum.
    if (q < 0.5 * hp.heatMinKw) q = 0;
    else q = Math.max(q, Math.min(hp.heatMinKw, bySource));
    if (q <= 0) {
      hps.push({ id: hp.id, on: false, heatKw: 0 });
      continue;
    }
    hps.push({ id: hp.id, on: true, heatKw: q });
    wantKw -= q;
    sourceUsedKw += q * perHeat;
  }
  // Without heat pumps for the network, it gets what the units make beyond the boost and the store above its reserve.
  let soldKw = demandKw;
  if (!economic.length) {
    const madeKw = hps.reduce((a, h) => a + (h.on ? h.heatKw : 0), 0);
    const spareKw = st ? Math.min(st.dischargeMaxKw, Math.max(0, obs.storageEnergyKwh - STORE_RESERVE_FRACTION * st.capacityKwh) / (periodS / 3600)) : 0;
    soldKw = Math.min(demandKw, Math.max(0, madeKw - ghBoostWantKw) + spareKw);
  }
  return {
    setpoints: { hps, dhSoldKw: soldKw, ghDirectKw, ghBoostKw: ghBoostWantKw },
    mode: "rule",
    solveMs: null,
  };
}

export function createRuleController(m: PlantModel, periodS: number): Controller {
  return { name: "rule", decide: (obs) => ruleDecide(m, obs, periodS) };
}

import type { PlantModel } from "../model/plant-model.ts";
import type { Scenario } from "../config/scenario.ts";
import { eventActive } from "../config/scenario.ts";
import type { Observation, Setpoints } from "../control/types.ts";
import { buildInputs, type ScenarioInputs } from "./inputs.ts";
import { withForecastErrors } from "../forecast/error-model.ts";
import { truthWindow } from "./forecaster.ts";
import { initialPlantState, observe, plantStep, type PlantState, type StepFlows, type StepInputs } from "./plant.ts";

/** A measurement as the plant's instruments report it: value and the time it was measured. */
export interface LiveValue {
  value: number | boolean;
  sourceMs: number;
}

/**
 * The offline plant stepped on demand, for the plant simulator behind OPC UA and Modbus: the same model and
 * physics as `simulate`, advanced to whatever simulated time the wall clock (× speed) has reached, under the
 * setpoints the PLCs currently apply. Pure apart from its own state: time comes in as arguments.
 */
export interface LivePlant {
  readonly simMs: number;
  advanceTo(simMs: number, sp: Setpoints): void;
  /** The physical state, to carry it into a new weather window. */
  snapshot(): PlantState;
  /** What a controller would observe now (the offline engine's view, for tests and the demo's local control). */
  observation(): Observation;
  measurements(): Map<string, LiveValue>;
  /** Forecasts as the plant PC's weather and market feeds would give them: hourly, from the current hour. */
  forecasts(hours: number): { startMs: number; stepS: number; series: Record<string, number[]> };
}

/** A scenario of synthetic weather, prices and demand from `startMs` for `days`, for a live plant. */
export function liveScenario(m: PlantModel, startMs: number, days: number, seed: number): Scenario {
  return {
    name: `live ${m.name}`,
    description: "plant simulator",
    file: m.file,
    model: m,
    startMs,
    endMs: startMs + days * 86_400_000,
    seed,
    physicsStepS: 60,
    control: { periodS: 900, horizonS: 86400, stepS: 900, replanS: 900 },
    weather: { source: "synthetic", shiftK: 1.5 },
    prices: { source: "synthetic", meanEurPerMwh: 58 },
    demand: { source: "signature" },
    events: [],
  };
}

/** Largest physics step when catching up (s): the exact step solutions hold at any step, this keeps COPs current. */
const MAX_STEP_S = 60;

export function createLivePlant(sc: Scenario, inputs: ScenarioInputs = buildInputs(sc), initial?: PlantState): LivePlant {
  const m = sc.model;
  let state: PlantState = initial ?? initialPlantState(m);
  let simMs = sc.startMs;
  let flows: StepFlows | null = null;

  function index(t: number): number {
    return Math.min(inputs.n - 1, Math.max(0, Math.floor((t - inputs.startMs) / (inputs.stepS * 1000))));
  }
  function priceAt(t: number): number {
    return inputs.priceElEurPerMwh[index(t)]!;
  }
  function inputsAt(t: number): StepInputs {
    const i = index(t);
    return {
      timeMs: t,
      itHeatKw: inputs.itHeatKw[i]!,
      outdoorTempC: inputs.outdoorTempC[i]!,
      solarWm2: inputs.solarWm2[i]!,
      dhDemandKw: eventActive(sc, "network_outage", t) ? 0 : inputs.dhDemandKw[i]!,
      hpAvailable: m.heatPumps.map((h) => !eventActive(sc, "hp_trip", t, h.id)),
    };
  }

  return {
    get simMs() {
      return simMs;
    },
    advanceTo(targetMs: number, sp: Setpoints): void {
      while (simMs < targetMs) {
        const dtS = Math.min(MAX_STEP_S, (targetMs - simMs) / 1000);
        const inp = inputsAt(simMs);
        const r = plantStep(m, state, sp, inp, dtS);
        state = r.state;
        flows = r.flows;
        simMs += dtS * 1000;
      }
    },
    snapshot(): PlantState {
      return state;
    },
    observation(): Observation {
      return observe(m, state, inputsAt(simMs), priceAt(simMs));
    },
    measurements(): Map<string, LiveValue> {
      const obs = observe(m, state, inputsAt(simMs), priceAt(simMs));
      const f = flows;
      const t = simMs;
      const out = new Map<string, LiveValue>();
      const put = (name: string, value: number | boolean) => out.set(name, { value, sourceMs: t });
      put("dc.it_heat_kw", obs.itHeatKw);
      put("dc.fw_supply_temp_c", obs.fwSupplyTempC);
      put("dc.fw_return_temp_c", m.facilityWater.returnTempC);
      obs.hps.forEach((h, i) => {
        put(`${h.id}.running`, h.running);
        put(`${h.id}.available`, h.available);
        put(`${h.id}.heat_kw`, h.heatKw);
        put(`${h.id}.elec_kw`, f?.hpElecKw[i] ?? 0);
        put(`${h.id}.state_s`, Math.min(1e9, h.stateS));
      });
      put("dh.demand_kw", obs.dhDemandKw);
      put("dh.sold_kw", f?.dhSoldKw ?? 0);
      put("dh.supply_temp_c", obs.hotLoopSupplyC);
      put("dump.heat_kw", f?.dumpKw ?? 0);
      put("chiller.heat_kw", f?.chillerKw ?? 0);
      if (m.storage) put("storage.energy_kwh", obs.storageEnergyKwh);
      if (m.greenhouse && obs.ghTempC !== null) {
        put("gh.temp_c", obs.ghTempC);
        put("gh.direct_kw", f?.ghDirectKw ?? 0);
        put("gh.boost_kw", f?.ghBoostKw ?? 0);
      }
      put("weather.outdoor_temp_c", obs.outdoorTempC);
      put("weather.solar_w_m2", obs.solarWm2);
      put("market.price_el_eur_mwh", obs.priceElEurPerMwh);
      return out;
    },
    forecasts(hours: number) {
      const startMs = Math.floor(simMs / 3_600_000) * 3_600_000;
      const grid = new Array<number>(hours).fill(3600);
      // What weather and market services would send: the truth with the simulator's seeded forecast errors.
      const f = withForecastErrors(truthWindow(inputs, startMs, grid), grid, startMs, sc.seed);
      return {
        startMs,
        stepS: 3600,
        series: { "forecast.outdoor_temp_c": f.outdoorTempC, "forecast.solar_w_m2": f.solarWm2, "forecast.price_el_eur_mwh": f.priceElEurPerMwh, "forecast.dh_demand_kw": f.dhDemandKw },
      };
    },
  };
}

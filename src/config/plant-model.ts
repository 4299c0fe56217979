import { InputError } from "./errors.ts";
import { loadYamlFile, validate } from "./load.ts";
import { modelSchema, type ModelFile } from "./model-schema.ts";
import { cylinderUaKwPerK, tankCapacityKwh, type TankSpec } from "../physics/storage.ts";
import { dryCoolerCapacityKw } from "../physics/dry-cooler.ts";
import { chillerCapacityKw } from "../physics/chiller.ts";
import { designLoadKw, type GreenhouseSpec } from "../physics/greenhouse.ts";
import type { DemandSpec } from "../physics/demand.ts";
import { defaultHourOfWeekFactors } from "../physics/demand.ts";
import { WATER_CP_J_PER_KGK, WATER_DENSITY_KG_M3 } from "../physics/thermo.ts";
import { heatPumpCop, chillerEer } from "../physics/heatpump.ts";
import { hxHeatKw } from "../physics/hx.ts";

/** The plant as the simulator and the optimizer use it: camelCase, derived quantities resolved once. */
export interface HeatPumpModel {
  id: string;
  heatMaxKw: number;
  heatMinKw: number;
  etaCarnot: number;
  partLoadCd: number;
  rampKwPerMin: number;
  startDelayMin: number;
  startCostEur: number;
  minUpMin: number;
  minDownMin: number;
}

export interface StorageModel {
  tank: TankSpec;
  capacityKwh: number;
  chargeMaxKw: number;
  dischargeMaxKw: number;
  efficiency: number;
  initialEnergyKwh: number;
}

export interface GreenhouseModel {
  spec: GreenhouseSpec;
  initialTempC: number;
  directHx: { uaKwPerK: number; facilitySideKwPerK: number; greenhouseSideKwPerK: number; emitterOffsetK: number };
  boostMaxKw: number;
  comfort: { nightMinC: number; dayMinC: number; dayMaxC: number; damageC: number; dayStartHour: number; dayEndHour: number };
}

export interface PlantModel {
  name: string;
  description: string;
  file: string;
  site: { latitudeDeg: number; longitudeDeg: number };
  coolingDesignOutdoorC: number;
  it: { loadKw: number; heatFraction: number; variationPct: number; pue: number };
  facilityWater: { returnTempC: number; supplyTempC: number; supplyLimitC: number; capacityKwhPerK: number };
  heatPumps: HeatPumpModel[];
  hotLoop: { returnTempC: number; supplyCurve: { outdoorC: number; supplyC: number }[] };
  storage: StorageModel | null;
  greenhouse: GreenhouseModel | null;
  dryCoolers: { uaKwPerK: number; approachK: number; fanFraction: number };
  chiller: { ratedKw: number; ratedOutdoorC: number; derateFracPerK: number; etaCarnot: number; evaporatorTempC: number; condenserApproachK: number };
  network: DemandSpec & { contractMaxKw: number };
  economics: { heatSaleEurPerMwh: number; greenhouseHeatEurPerMwh: number; gridFeeEurPerMwh: number; comfortPenaltyEurPerKh: number };
  co2: { gridGPerKwh: number; displacedHeatGPerKwh: number };
}

/** Highest IT heat the plant must be able to reject (load at the top of its variation band). */
export function itHeatMaxKw(m: Pick<PlantModel, "it">): number {
  return m.it.loadKw * (1 + m.it.variationPct / 100) * m.it.heatFraction;
}

/** Dry-cooler capacity at an outdoor temperature (facility water at its return temperature). */
export function dumpCapacityKw(m: PlantModel, outdoorTempC: number): number {
  return dryCoolerCapacityKw({ uaKwPerK: m.dryCoolers.uaKwPerK, returnTempC: m.facilityWater.returnTempC, outdoorTempC, approachK: m.dryCoolers.approachK });
}

/** Chiller capacity at an outdoor temperature (derated above its rating). */
export function chillerCapacityAtKw(m: PlantModel, outdoorTempC: number): number {
  return chillerCapacityKw({ ratedKw: m.chiller.ratedKw, ratedOutdoorC: m.chiller.ratedOutdoorC, derateFracPerK: m.chiller.derateFracPerK, outdoorTempC });
}

/** Cooling that works without any heat sink (dry coolers + chiller) at a given outdoor temperature. */
export function rejectCapacityKw(m: PlantModel, outdoorTempC: number): number {
  return dumpCapacityKw(m, outdoorTempC) + chillerCapacityAtKw(m, outdoorTempC);
}

export function resolveModel(f: ModelFile, file: string): PlantModel {
  const fw = f.facility_water;
  if (fw.supply_temp_c >= fw.return_temp_c) throw new InputError(file, "facility_water.supply_temp_c", `a temperature below return_temp_c (${fw.return_temp_c} °C)`, `got ${fw.supply_temp_c}`);
  if (fw.supply_limit_c <= fw.supply_temp_c) throw new InputError(file, "facility_water.supply_limit_c", `a limit above supply_temp_c (${fw.supply_temp_c} °C)`, `got ${fw.supply_limit_c}`);
  const ids = new Set<string>();
  f.heat_pumps.forEach((h, i) => {
    if (ids.has(h.id)) throw new InputError(file, `heat_pumps[${i}].id`, "a unique heat-pump id", `'${h.id}' is used twice`);
    ids.add(h.id);
  });
  const minSinkC = Math.min(...f.hot_loop.supply_curve.map((p) => p.supply_c));
  if (minSinkC <= f.hot_loop.return_temp_c) throw new InputError(file, "hot_loop.supply_curve", `supply temperatures above hot_loop.return_temp_c (${f.hot_loop.return_temp_c} °C)`);
  if (f.hot_loop.return_temp_c <= fw.return_temp_c) throw new InputError(file, "hot_loop.return_temp_c", `a temperature above facility_water.return_temp_c (${fw.return_temp_c} °C): heat pumps lift heat up`);

  const waterKwhPerM3K = (WATER_DENSITY_KG_M3 * WATER_CP_J_PER_KGK) / 3.6e6;
  let storage: StorageModel | null = null;
  if (f.storage) {
    const s = f.storage;
    if (s.max_temp_c <= s.return_temp_c) throw new InputError(file, "storage.max_temp_c", `a temperature above storage.return_temp_c (${s.return_temp_c} °C)`);
    const tank: TankSpec = {
      volumeM3: Math.PI * (s.diameter_m / 2) ** 2 * s.height_m,
      maxTempC: s.max_temp_c,
      returnTempC: s.return_temp_c,
      ambientTempC: s.ambient_temp_c,
      uaKwPerK: cylinderUaKwPerK({
        heightM: s.height_m,
        diameterM: s.diameter_m,
        insulationThicknessM: s.insulation_thickness_m,
        insulationConductivityWPerMK: s.insulation_conductivity_w_per_mk,
        innerFilmWPerM2K: s.inner_film_w_per_m2k,
        outerFilmWPerM2K: s.outer_film_w_per_m2k,
      }),
    };
    const capacityKwh = tankCapacityKwh(tank);
    storage = { tank, capacityKwh, chargeMaxKw: s.charge_max_kw, dischargeMaxKw: s.discharge_max_kw, efficiency: s.efficiency, initialEnergyKwh: capacityKwh * s.initial_fill };
  }

  let greenhouse: GreenhouseModel | null = null;
  if (f.greenhouse) {
    const g = f.greenhouse;
    const c = g.comfort;
    if (c.day_end_hour <= c.day_start_hour) throw new InputError(file, "greenhouse.comfort.day_end_hour", `an hour after day_start_hour (${c.day_start_hour})`);
    if (c.day_max_c <= c.day_min_c) throw new InputError(file, "greenhouse.comfort.day_max_c", `a temperature above day_min_c (${c.day_min_c} °C)`);
    greenhouse = {
      spec: {
        areaM2: g.area_m2,
        uaKwPerK: designLoadKw(g.area_m2, g.design_load_w_per_m2) / g.design_delta_k,
        capacityKwhPerK: g.capacity_kwh_per_k,
        solarTransmittance: g.solar_transmittance,
        ventStartC: g.vent_start_c,
        maxVentKwPerK: g.max_vent_kw_per_k,
      },
      initialTempC: g.initial_temp_c,
      directHx: { uaKwPerK: g.direct_hx.ua_kw_per_k, facilitySideKwPerK: g.direct_hx.facility_side_kw_per_k, greenhouseSideKwPerK: g.direct_hx.greenhouse_side_kw_per_k, emitterOffsetK: g.direct_hx.emitter_offset_k },
      boostMaxKw: g.boost_max_kw,
      comfort: { nightMinC: c.night_min_c, dayMinC: c.day_min_c, dayMaxC: c.day_max_c, damageC: c.damage_c, dayStartHour: c.day_start_hour, dayEndHour: c.day_end_hour },
    };
  }

  const m: PlantModel = {
    name: f.name,
    description: f.description,
    file,
    site: { latitudeDeg: f.site.latitude_deg, longitudeDeg: f.site.longitude_deg },
    coolingDesignOutdoorC: f.cooling_design_outdoor_c,
    it: { loadKw: f.it.load_kw, heatFraction: f.it.heat_fraction, variationPct: f.it.variation_pct, pue: f.it.pue },
    facilityWater: { returnTempC: fw.return_temp_c, supplyTempC: fw.supply_temp_c, supplyLimitC: fw.supply_limit_c, capacityKwhPerK: fw.volume_m3 * waterKwhPerM3K },
    heatPumps: f.heat_pumps.map((h) => ({
      id: h.id,
      heatMaxKw: h.heat_max_kw,
      heatMinKw: h.heat_min_kw,
      etaCarnot: h.eta_carnot,
      partLoadCd: h.part_load_cd,
      rampKwPerMin: h.ramp_kw_per_min,
      startDelayMin: h.start_delay_min,
      startCostEur: h.start_cost_eur,
      minUpMin: h.min_up_min,
      minDownMin: h.min_down_min,
    })),
    hotLoop: { returnTempC: f.hot_loop.return_temp_c, supplyCurve: [...f.hot_loop.supply_curve].sort((a, b) => a.outdoor_c - b.outdoor_c).map((p) => ({ outdoorC: p.outdoor_c, supplyC: p.supply_c })) },
    storage,
    greenhouse,
    dryCoolers: { uaKwPerK: f.dry_coolers.ua_kw_per_k, approachK: f.dry_coolers.approach_k, fanFraction: f.dry_coolers.fan_fraction },
    chiller: {
      ratedKw: f.chiller.rated_kw,
      ratedOutdoorC: f.chiller.rated_outdoor_c,
      derateFracPerK: f.chiller.derate_frac_per_k,
      etaCarnot: f.chiller.eta_carnot,
      evaporatorTempC: f.chiller.evaporator_temp_c,
      condenserApproachK: f.chiller.condenser_approach_k,
    },
    network: {
      designKw: f.network.design_kw,
      designOutdoorC: f.network.design_outdoor_c,
      baseC: f.network.base_c,
      hotWaterKw: f.network.hot_water_kw,
      hourOfWeekFactors: defaultHourOfWeekFactors(),
      contractMaxKw: f.network.contract_max_kw,
    },
    economics: {
      heatSaleEurPerMwh: f.economics.heat_sale_eur_per_mwh,
      greenhouseHeatEurPerMwh: f.economics.greenhouse_heat_eur_per_mwh,
      gridFeeEurPerMwh: f.economics.grid_fee_eur_per_mwh,
      comfortPenaltyEurPerKh: f.economics.comfort_penalty_eur_per_kh,
    },
    co2: { gridGPerKwh: f.co2.grid_g_per_kwh, displacedHeatGPerKwh: f.co2.displaced_heat_g_per_kwh },
  };

  // Cooling first: without any heat sale or greenhouse, dry coolers + chiller alone must reject the IT heat.
  const needKw = itHeatMaxKw(m);
  const haveKw = rejectCapacityKw(m, m.coolingDesignOutdoorC);
  if (haveKw < needKw) {
    throw new InputError(
      file,
      "chiller.rated_kw",
      `dry coolers + chiller able to reject the IT heat of ${needKw.toFixed(0)} kW at the cooling design outdoor temperature ${m.coolingDesignOutdoorC} °C`,
      `they reject only ${haveKw.toFixed(0)} kW there`,
    );
  }
  return m;
}

export function loadModel(file: string): PlantModel {
  return resolveModel(loadYamlFile(modelSchema, file, "plant model"), file);
}

export function modelFromData(data: unknown, file: string): PlantModel {
  return resolveModel(validate(modelSchema, data, file), file);
}

/** Hot-loop supply temperature from the weather-compensation curve (linear, flat outside the points). */
export function hotLoopSupplyC(m: PlantModel, outdoorTempC: number): number {
  const c = m.hotLoop.supplyCurve;
  const first = c[0]!;
  const last = c[c.length - 1]!;
  if (outdoorTempC <= first.outdoorC) return first.supplyC;
  if (outdoorTempC >= last.outdoorC) return last.supplyC;
  for (let i = 1; i < c.length; i++) {
    const b = c[i]!;
    if (outdoorTempC <= b.outdoorC) {
      const a = c[i - 1]!;
      return a.supplyC + ((b.supplyC - a.supplyC) * (outdoorTempC - a.outdoorC)) / (b.outdoorC - a.outdoorC);
    }
  }
  return last.supplyC;
}

/** Full-load COP of each heat pump at an outdoor temperature (sink outlet follows the weather-compensation curve). */
export function fullLoadCops(m: PlantModel, outdoorTempC: number): number[] {
  const t = { sourceInC: m.facilityWater.returnTempC, sourceOutC: m.facilityWater.supplyTempC, sinkInC: m.hotLoop.returnTempC, sinkOutC: hotLoopSupplyC(m, outdoorTempC) };
  return m.heatPumps.map((h) => heatPumpCop(h.etaCarnot, t));
}

/** kW of direct greenhouse heat per K between the facility-water return and the exchanger's cold inlet (ε·Cmin). */
export function ghDirectKwPerK(m: PlantModel): number {
  const g = m.greenhouse;
  if (!g) return 0;
  const hx = g.directHx;
  return hxHeatKw({ uaKwPerK: hx.uaKwPerK, hotInC: 1, coldInC: 0, hotCapKwPerK: hx.facilitySideKwPerK, coldCapKwPerK: hx.greenhouseSideKwPerK });
}

/** Free heat the direct exchanger can give the greenhouse at a greenhouse air temperature. */
export function ghDirectMaxKw(m: PlantModel, ghTempC: number): number {
  const g = m.greenhouse;
  if (!g) return 0;
  return ghDirectKwPerK(m) * Math.max(0, m.facilityWater.returnTempC - ghTempC - g.directHx.emitterOffsetK);
}

/** Chiller EER at an outdoor temperature. */
export function chillerEerAt(m: PlantModel, outdoorTempC: number): number {
  return chillerEer(m.chiller.etaCarnot, m.chiller.evaporatorTempC, outdoorTempC + m.chiller.condenserApproachK);
}

import { InputError } from "./errors.ts";
import { loadYamlFile, validate } from "./load.ts";
import { modelSchema, type ModelFile } from "./model-schema.ts";
import { cylinderUaKwPerK, tankCapacityKwh, type TankSpec } from "../physics/storage.ts";
import { designLoadKw, WATER_LATENT_HEAT_KJ_PER_KG } from "../physics/greenhouse.ts";
import { defaultHourOfWeekFactors } from "../physics/demand.ts";
import { SECONDS_PER_HOUR, WATER_CP_J_PER_KGK, WATER_DENSITY_KG_M3 } from "../physics/thermo.ts";
import { itHeatMaxKw, rejectCapacityKw, type GreenhouseModel, type PlantModel, type StorageModel } from "../model/plant-model.ts";

// Re-exported while the wire adapters still import the type from here.
export type { PlantModel } from "../model/plant-model.ts";

/** A validated model file as the plant model of src/model/ (the file's checks here, the model's physics there). */
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
    // The cooling cascade: screen and fog act once the vents are fully open, and fog needs the vents' air.
    if (g.shading_screen && g.shading_screen.start_c < g.vent_start_c) throw new InputError(file, "greenhouse.shading_screen.start_c", `a temperature at or above vent_start_c (${g.vent_start_c} °C)`, `got ${g.shading_screen.start_c}`);
    if (g.fog && g.fog.start_c < g.vent_start_c) throw new InputError(file, "greenhouse.fog.start_c", `a temperature at or above vent_start_c (${g.vent_start_c} °C)`, `got ${g.fog.start_c}`);
    if (g.fog && g.max_vent_kw_per_k <= 0) throw new InputError(file, "greenhouse.max_vent_kw_per_k", "vents (> 0) for the fog to exchange its air", `got ${g.max_vent_kw_per_k}`);
    greenhouse = {
      spec: {
        areaM2: g.area_m2,
        uaKwPerK: designLoadKw(g.area_m2, g.design_load_w_per_m2) / g.design_delta_k,
        capacityKwhPerK: g.capacity_kwh_per_k,
        solarTransmittance: g.solar_transmittance,
        ventStartC: g.vent_start_c,
        maxVentKwPerK: g.max_vent_kw_per_k,
        transpirationFraction: g.transpiration_latent_fraction,
        shade: g.shading_screen ? { startC: g.shading_screen.start_c, fraction: g.shading_screen.shading_fraction } : null,
        fog: g.fog
          ? {
              startC: g.fog.start_c,
              maxKw: (g.fog.max_water_kg_per_m2_h * g.area_m2 * WATER_LATENT_HEAT_KJ_PER_KG) / SECONDS_PER_HOUR,
              efficiency: g.fog.efficiency,
              outdoorDewPointC: g.fog.outdoor_dew_point_c,
            }
          : null,
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
      evaporatorApproachK: h.evaporator_approach_k,
      condenserApproachK: h.condenser_approach_k,
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

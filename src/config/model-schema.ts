import { z } from "zod";

/** Plant model file schema (models/*.yaml). Field names are snake_case with units, as engineers write them. */

const num = z.number().finite();
const pos = num.positive();
const nonneg = num.nonnegative();
const frac = num.min(0).max(1);
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a lower-case id like hp1");

const heatPump = z
  .object({
    id,
    heat_max_kw: pos,
    heat_min_kw: nonneg,
    // η of COP = η·T_cond/(T_cond − T_evap) with the approaches below (Kajaani calibrates to 0.611 at 3 K/3 K).
    eta_carnot: num.gt(0).max(0.8),
    // Water-to-refrigerant approach of the evaporator and the condenser; 2–5 K for plate exchangers (default 3).
    evaporator_approach_k: nonneg.max(15).default(3),
    condenser_approach_k: nonneg.max(15).default(3),
    part_load_cd: frac.default(0.9),
    ramp_kw_per_min: pos,
    start_delay_min: nonneg.default(0),
    start_cost_eur: nonneg.default(0),
    min_up_min: nonneg.default(0),
    min_down_min: nonneg.default(0),
  })
  .strict()
  .refine((h) => h.heat_min_kw <= h.heat_max_kw, { message: "heat_min_kw ≤ heat_max_kw", path: ["heat_min_kw"] });

const supplyCurvePoint = z.object({ outdoor_c: num, supply_c: num }).strict();

export const modelSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(""),
    site: z
      .object({
        latitude_deg: num.min(-90).max(90),
        longitude_deg: num.min(-180).max(180),
        timezone: z.literal("Europe/Paris"),
      })
      .strict(),
    cooling_design_outdoor_c: num,
    it: z
      .object({
        load_kw: pos,
        heat_fraction: num.gt(0).max(1),
        variation_pct: nonneg.max(50).default(3),
        pue: num.min(1).max(3),
      })
      .strict(),
    facility_water: z
      .object({
        return_temp_c: num,
        supply_temp_c: num,
        supply_limit_c: num,
        volume_m3: pos,
      })
      .strict(),
    heat_pumps: z.array(heatPump).max(12).default([]),
    hot_loop: z
      .object({
        return_temp_c: num,
        supply_curve: z.array(supplyCurvePoint).min(1),
      })
      .strict(),
    storage: z
      .object({
        height_m: pos,
        diameter_m: pos,
        max_temp_c: num,
        return_temp_c: num,
        insulation_thickness_m: pos,
        insulation_conductivity_w_per_mk: pos,
        inner_film_w_per_m2k: pos.default(7),
        outer_film_w_per_m2k: pos.default(25),
        ambient_temp_c: num,
        charge_max_kw: pos,
        discharge_max_kw: pos,
        efficiency: num.gt(0).max(1).default(0.99),
        initial_fill: frac.default(0.5),
      })
      .strict()
      .nullable()
      .default(null),
    greenhouse: z
      .object({
        area_m2: pos,
        design_load_w_per_m2: pos,
        design_delta_k: pos,
        capacity_kwh_per_k: pos,
        solar_transmittance: frac,
        vent_start_c: num,
        max_vent_kw_per_k: nonneg,
        // Share of the sun reaching the crop that transpiration turns into latent heat; absent: no crop modelled.
        transpiration_latent_fraction: num.min(0).max(0.9).default(0),
        // Summer cooling after the vents (each absent: not fitted). Start temperatures at or above vent_start_c.
        shading_screen: z
          .object({
            start_c: num,
            shading_fraction: num.min(0).max(0.9),
          })
          .strict()
          .nullable()
          .default(null),
        fog: z
          .object({
            start_c: num,
            max_water_kg_per_m2_h: num.gt(0).max(3),
            efficiency: num.gt(0).max(1),
            outdoor_dew_point_c: num.min(-30).max(35),
          })
          .strict()
          .nullable()
          .default(null),
        initial_temp_c: num.default(18),
        direct_hx: z
          .object({
            ua_kw_per_k: pos,
            facility_side_kw_per_k: pos,
            greenhouse_side_kw_per_k: pos,
            emitter_offset_k: nonneg,
          })
          .strict(),
        boost_max_kw: nonneg,
        comfort: z
          .object({
            night_min_c: num,
            day_min_c: num,
            day_max_c: num,
            damage_c: num,
            day_start_hour: z.number().int().min(0).max(23),
            day_end_hour: z.number().int().min(1).max(24),
          })
          .strict(),
      })
      .strict()
      .nullable()
      .default(null),
    dry_coolers: z
      .object({
        ua_kw_per_k: nonneg,
        approach_k: nonneg,
        fan_fraction: frac.default(0.02),
      })
      .strict(),
    chiller: z
      .object({
        rated_kw: nonneg,
        rated_outdoor_c: num,
        derate_frac_per_k: frac,
        eta_carnot: num.gt(0).max(0.8),
        evaporator_temp_c: num,
        condenser_approach_k: nonneg,
      })
      .strict(),
    network: z
      .object({
        design_kw: nonneg,
        design_outdoor_c: num,
        base_c: num,
        hot_water_kw: nonneg,
        contract_max_kw: nonneg,
      })
      .strict(),
    economics: z
      .object({
        heat_sale_eur_per_mwh: num,
        greenhouse_heat_eur_per_mwh: num,
        grid_fee_eur_per_mwh: num,
        comfort_penalty_eur_per_kh: nonneg.default(50),
      })
      .strict(),
    co2: z
      .object({
        grid_g_per_kwh: nonneg,
        displaced_heat_g_per_kwh: nonneg,
      })
      .strict(),
  })
  .strict();

export type ModelFile = z.infer<typeof modelSchema>;

import { itHeatMaxKw, type PlantModel } from "../model/plant-model.ts";

/**
 * The measurements the plant serves over OPC UA and the controller reads, by name. The names are the contract
 * between the plant simulator, the daemon's tag map and the observation builder; the simulator serves each one at
 * the node id `ns=1;s=<name>` (a real plant's tag map maps its own node ids onto these names).
 */
export interface MeasurementSpec {
  name: string;
  /** Folder path in the address space (equipment), e.g. ["HeatPumps", "hp1"]. */
  folder: string[];
  /** Browse name of the variable inside its folder. */
  browseName: string;
  unit: string;
  description: string;
  kind: "number" | "boolean";
  /** Physical range a plausible value lies in (for the OPC UA EURange and the default tag limits). */
  min: number;
  max: number;
}

/** Forecast arrays the plant PC receives from weather and market services (served beside the measurements). */
export interface ForecastSpec {
  name: string;
  folder: string[];
  browseName: string;
  unit: string;
  description: string;
}

const m0 = (name: string, folder: string[], browseName: string, unit: string, min: number, max: number, description: string): MeasurementSpec => ({ name, folder, browseName, unit, description, kind: "number", min, max });

export function measurementCatalogue(m: PlantModel): MeasurementSpec[] {
  const out: MeasurementSpec[] = [
    m0("dc.it_heat_kw", ["DataCentre"], "ITHeat", "kW", 0, itHeatMaxKw(m) * 1.5, "Heat the servers give to the facility water"),
    m0("dc.fw_supply_temp_c", ["DataCentre"], "FacilityWaterSupplyTemp", "°C", 0, 60, "Facility water to the servers"),
    m0("dc.fw_return_temp_c", ["DataCentre"], "FacilityWaterReturnTemp", "°C", 0, 70, "Facility water back from the servers"),
  ];
  for (const hp of m.heatPumps) {
    const f = ["HeatPumps", hp.id];
    out.push(
      { name: `${hp.id}.running`, folder: f, browseName: "Running", unit: "", description: `${hp.id} compressor running`, kind: "boolean", min: 0, max: 1 },
      { name: `${hp.id}.available`, folder: f, browseName: "Available", unit: "", description: `${hp.id} ready to run (no trip, no lock-out)`, kind: "boolean", min: 0, max: 1 },
      m0(`${hp.id}.heat_kw`, f, "HeatOutput", "kW", 0, hp.heatMaxKw * 1.2, `${hp.id} heat into the hot loop`),
      m0(`${hp.id}.elec_kw`, f, "ElectricPower", "kW", 0, hp.heatMaxKw, `${hp.id} electricity drawn`),
      m0(`${hp.id}.state_s`, f, "TimeInState", "s", 0, 1e9, `${hp.id} seconds since it last started or stopped`),
    );
  }
  out.push(
    m0("dh.demand_kw", ["Network"], "HeatDemand", "kW", 0, 100_000, "Heat the CPCU substation would take now (0 when it takes none)"),
    m0("dh.sold_kw", ["Network"], "HeatExported", "kW", 0, 100_000, "Heat delivered to the network"),
    m0("dh.supply_temp_c", ["Network"], "HotLoopSupplyTemp", "°C", 20, 110, "Hot loop supply temperature"),
    m0("dump.heat_kw", ["DryCoolers"], "HeatRejected", "kW", 0, 100_000, "Heat rejected by the dry coolers"),
    m0("chiller.heat_kw", ["Chiller"], "HeatRemoved", "kW", 0, 100_000, "Heat removed by the chiller"),
  );
  if (m.storage) out.push(m0("storage.energy_kwh", ["Storage"], "Energy", "kWh", 0, m.storage.capacityKwh * 1.05, "Heat stored above the return temperature"));
  if (m.greenhouse) {
    out.push(
      m0("gh.temp_c", ["Greenhouse"], "AirTemp", "°C", -20, 60, "Greenhouse air temperature"),
      m0("gh.direct_kw", ["Greenhouse"], "DirectHeat", "kW", 0, 10_000, "Low-grade heat from the facility water"),
      m0("gh.boost_kw", ["Greenhouse"], "BoostHeat", "kW", 0, 10_000, "Heat from the hot loop"),
    );
  }
  out.push(
    m0("weather.outdoor_temp_c", ["Weather"], "OutdoorTemp", "°C", -40, 50, "Outdoor air temperature"),
    m0("weather.solar_w_m2", ["Weather"], "GlobalIrradiance", "W/m²", 0, 1400, "Global horizontal irradiance"),
    m0("market.price_el_eur_mwh", ["Market"], "ElectricityPrice", "€/MWh", -500, 4000, "Day-ahead electricity price now"),
  );
  return out;
}

/** Forecast arrays: values per `forecast.step_s` from `forecast.start` (both served as scalars in the same folder). */
export function forecastCatalogue(): ForecastSpec[] {
  return [
    { name: "forecast.outdoor_temp_c", folder: ["Forecasts"], browseName: "OutdoorTemp", unit: "°C", description: "Outdoor temperature forecast" },
    { name: "forecast.solar_w_m2", folder: ["Forecasts"], browseName: "GlobalIrradiance", unit: "W/m²", description: "Irradiance forecast" },
    { name: "forecast.price_el_eur_mwh", folder: ["Forecasts"], browseName: "ElectricityPrice", unit: "€/MWh", description: "Day-ahead price forecast" },
    { name: "forecast.dh_demand_kw", folder: ["Forecasts"], browseName: "NetworkDemand", unit: "kW", description: "Network heat demand forecast" },
  ];
}

/** The node id the plant simulator serves a measurement or forecast at. */
export function simNodeId(name: string): string {
  return `ns=1;s=${name}`;
}

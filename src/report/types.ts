/** What the HTML report needs; built by the simulator, rendered by `renderReport`. */

export interface KpiRow {
  key: string;
  label: string;
  unit: string;
  value: number | null;
}

export interface HeatFlow {
  from: string;
  to: string;
  energyMwh: number;
}

/**
 * Series already reduced for charting (e.g. hourly or daily means, at most a few thousand points).
 * Column names follow timeseries.csv: `it_heat_kw`, `hp1_heat_kw`, `dh_sold_kw`, `gh_direct_kw`, `gh_boost_kw`,
 * `dump_kw`, `chiller_kw`, `storage_energy_kwh`, `gh_temp_c`, `fw_supply_temp_c`, `outdoor_temp_c`,
 * `price_el_eur_mwh`, `dh_demand_kw`, ... Every column has the same length as `timeMs`.
 */
export interface ChartSeries {
  timeMs: number[];
  /** What one point stands for, for the axis caption, e.g. "hourly mean". */
  resolution: string;
  columns: Record<string, number[]>;
}

export interface ReportInput {
  title: string;
  scenarioName: string;
  scenarioDescription: string;
  controller: string;
  modelName: string;
  startIso: string;
  endIso: string;
  seed: number;
  kpis: KpiRow[];
  /** Minutes spent in each controller mode (optimal, held, rule, safe, ...). */
  modeMinutes: Record<string, number>;
  series: ChartSeries;
  /** Names of the heat-pump columns prefixes present, e.g. ["hp1", "hp2"]. */
  heatPumps: string[];
  /** The period's heat flows for the Sankey diagram (MWh). */
  flows: HeatFlow[];
  /** Free-text notes shown under the KPI table (events, data warnings). */
  notes: string[];
}

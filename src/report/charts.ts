/** The report's time-series charts, built from whatever columns are present (missing columns are skipped). */

import { COLORS, cycleColor, FLOW_COLORS } from "./palette.ts";
import { hasFiniteValue, type LineSpec, type SeriesSpec, type TimeChartSpec } from "./svg-charts.ts";
import type { ChartSeries } from "./types.ts";

type Columns = ChartSeries["columns"];

function column(columns: Columns, key: string): number[] | undefined {
  const v = columns?.[key];
  return Array.isArray(v) && hasFiniteValue(v) ? v : undefined;
}

function series(columns: Columns, key: string, label: string, color: string, unit: string): SeriesSpec | undefined {
  const values = column(columns, key);
  return values ? { key, label, color, unit, values } : undefined;
}

function present<T>(items: (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}

/** Heat-pump prefixes: the declared ones, or hpN_heat_kw / hpN_cop columns when none are declared. */
export function heatPumpPrefixes(declared: readonly string[] | undefined, columns: Columns): string[] {
  const list = (declared ?? []).filter((p) => typeof p === "string" && p !== "");
  if (list.length) return [...new Set(list)];
  const found = new Set<string>();
  for (const key of Object.keys(columns ?? {}).sort()) {
    const m = /^(hp\d+)_(heat_kw|cop)$/.exec(key);
    if (m?.[1]) found.add(m[1]);
  }
  return [...found].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
}

export function allocationChart(columns: Columns, resolution: string): TimeChartSpec {
  const kw = "kW";
  const areas = present([
    series(columns, "dh_sold_kw", "District heating (sold)", FLOW_COLORS["Network (sold)"]!, kw),
    series(columns, "gh_direct_kw", "Greenhouse, direct", FLOW_COLORS.Greenhouse!, kw),
    series(columns, "gh_boost_kw", "Greenhouse, HP boost", COLORS.yellow, kw),
    series(columns, "storage_charge_kw", "Storage charge (+) / discharge (−)", FLOW_COLORS.Storage!, kw),
    series(columns, "dump_kw", "Dry coolers (dumped)", FLOW_COLORS["Dry coolers"]!, kw),
    series(columns, "chiller_kw", "Chiller", FLOW_COLORS.Chiller!, kw),
  ]);
  const lines: LineSpec[] = present([
    series(columns, "it_heat_kw", "IT waste heat", COLORS.black, kw),
    series(columns, "dh_demand_kw", "District-heating demand", COLORS.vermillion, kw),
  ]).map((s) => (s.key === "dh_demand_kw" ? { ...s, dash: "6 4", width: 1.8 } : { ...s, width: 1.8 }));
  const hasStorage = areas.some((a) => a.key === "storage_charge_kw");
  return {
    id: "allocation",
    title: "Heat allocation",
    caption:
      `Where the heat goes, stacked by use (${resolution}). Heat-pump outputs include compressor electricity, so the stack can exceed the IT heat.` +
      (hasStorage ? " Storage discharge is drawn below zero." : ""),
    yLabel: "Heat flow (kW)",
    height: 320,
    areas,
    lines,
    includeZero: true,
  };
}

export function heatPumpCharts(prefixes: readonly string[], columns: Columns, resolution: string): TimeChartSpec[] {
  const heat = prefixes.map((p, i) => series(columns, `${p}_heat_kw`, `${p.toUpperCase()} heat`, cycleColor(i), "kW"));
  const cop = prefixes.map((p, i) => series(columns, `${p}_cop`, `${p.toUpperCase()} COP`, cycleColor(i), ""));
  return [
    {
      id: "heat-pumps",
      title: "Heat-pump heat output",
      caption: `Heat delivered by each heat pump (${resolution}).`,
      yLabel: "Heat output (kW)",
      lines: present(heat),
      includeZero: true,
    },
    {
      id: "cop",
      title: "Heat-pump COP",
      caption: "Coefficient of performance: heat delivered per unit of electricity.",
      yLabel: "COP (–)",
      height: 200,
      lines: present(cop),
      includeZero: true,
    },
  ];
}

export function temperatureChart(columns: Columns, resolution: string): TimeChartSpec {
  const gh = series(columns, "gh_temp_c", "Greenhouse air", COLORS.green, "°C");
  // The crop's band from the model, by day and night (a fixed band would hide a daytime minimum above the night's).
  const lo = series(columns, "gh_comfort_min_c", "Comfort minimum (day / night)", COLORS.green, "°C");
  const hi = series(columns, "gh_comfort_max_c", "Comfort maximum", COLORS.green, "°C");
  const damage = series(columns, "gh_damage_c", "Crop damage above", COLORS.vermillion, "°C");
  return {
    id: "temperatures",
    title: "Temperatures",
    caption: `Outdoor, greenhouse, facility-water supply and network flow temperatures (${resolution}; the network's from the model's weather-compensation curve).` + (lo ? " Dashed: the crop's comfort band from the plant model (its minimum changes between day and night) and, dotted, the temperature above which the crop is damaged." : ""),
    yLabel: "Temperature (°C)",
    lines: present([
      series(columns, "outdoor_temp_c", "Outdoor", COLORS.skyBlue, "°C"),
      gh ? { ...gh, width: 1.8 } : undefined,
      lo ? { ...lo, dash: "6 4", width: 1 } : undefined,
      hi ? { ...hi, dash: "6 4", width: 1 } : undefined,
      damage ? { ...damage, dash: "2 3", width: 1 } : undefined,
      series(columns, "fw_supply_temp_c", "Facility-water supply", COLORS.black, "°C"),
      series(columns, "dh_supply_temp_c", "Network flow (supply curve)", COLORS.blue, "°C"),
    ]),
  };
}

export function priceChart(columns: Columns, resolution: string): TimeChartSpec {
  const price = series(columns, "price_el_eur_mwh", "Electricity price", COLORS.blue, "€/MWh");
  let caption = `Electricity price (${resolution}).`;
  if (price) {
    let negatives = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < price.values.length; i++) {
      const v = price.values[i] as number;
      if (Number.isFinite(v) && v < 0) {
        negatives++;
        min = Math.min(min, v);
      }
    }
    caption += negatives
      ? ` ${negatives} point${negatives === 1 ? "" : "s"} below 0 €/MWh (lowest ${min.toFixed(1).replace("-", "−")} €/MWh), drawn thick in vermillion.`
      : " No negative prices in this period.";
  }
  return {
    id: "price",
    title: "Electricity price",
    caption,
    yLabel: "Price (€/MWh)",
    height: 240,
    lines: present([price ? { ...price, markNegative: true } : undefined]),
    includeZero: true,
  };
}

export function storageChart(columns: Columns, resolution: string): TimeChartSpec {
  return {
    id: "storage",
    title: "Storage tank energy",
    caption: `Energy stored in the hot-water tank (${resolution}).`,
    yLabel: "Stored energy (kWh)",
    height: 220,
    areas: present([series(columns, "storage_energy_kwh", "Stored energy", COLORS.skyBlue, "kWh")]),
    includeZero: true,
  };
}

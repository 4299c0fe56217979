// Reading the plant's data in the shapes the screens need.

import { get, ApiError } from "./api.js";
import { store } from "./store.js";

/** Logical quantities → the measurement tags that may carry them (first found wins). */
export const ALIASES = {
  it_heat: ["it.heat_kw", "dc.it_heat_kw"],
  fw_supply: ["fw.supply_temp_c", "dc.fw_supply_temp_c"],
  fw_return: ["fw.return_temp_c", "dc.fw_return_temp_c"],
  dh_demand: ["dh.demand_kw"],
  dh_sold: ["dh.sold_kw"],
  dh_supply: ["dh.supply_temp_c"],
  storage: ["storage.energy_kwh"],
  gh_temp: ["gh.temp_c"],
  gh_direct: ["gh.direct_kw"],
  gh_boost: ["gh.boost_kw"],
  dump: ["dump.heat_kw", "dump.kw", "dc.dump_kw", "dump_kw"],
  chiller: ["chiller.heat_kw", "chiller.kw", "chiller_kw"],
  outdoor: ["outdoor.temp_c", "weather.outdoor_temp_c"],
  price: ["market.price_el_eur_mwh", "price.el_eur_mwh", "price_el_eur_mwh"],
};

export function pick(map, key) {
  for (const tag of ALIASES[key] ?? [key]) {
    const m = map.get(tag);
    if (m) return m;
  }
  return null;
}

/** The heat pumps' ids, from the state's tags, else the plan, else hp1 and hp2. */
export function hpIds() {
  const ids = new Set();
  for (const m of store.state?.measurements ?? []) {
    const r = /^(hp\d+)[._]/i.exec(m.tag);
    if (r) ids.add(r[1]);
  }
  if (!ids.size) for (const h of store.plan?.steps?.[0]?.hps ?? []) ids.add(h.id);
  if (!ids.size) ["hp1", "hp2"].forEach((x) => ids.add(x));
  return [...ids].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/**
 * GET /api/history for [fromMs, toMs]: {columns, rows} with times in seconds. When the server refuses the list of
 * columns (a name it does not know), asks again for every column and keeps those it has.
 */
export async function fetchHistory(fromMs, toMs, columns, maxPoints = 1500) {
  const q = (cols) => {
    const p = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), max_points: String(maxPoints) });
    if (cols) p.set("columns", cols.join(","));
    return `/api/history?${p}`;
  };
  let ans;
  try {
    ans = await get(q(columns));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    ans = await get(q(null));
  }
  const cols = Array.isArray(ans?.columns) ? ans.columns : [];
  const rows = Array.isArray(ans?.rows) ? ans.rows : [];
  const index = new Map(cols.map((c, i) => [c, i]));
  const ti = index.get("time") ?? 0;
  const x = rows.map((r) => Date.parse(r[ti]) / 1000);
  const series = (name) => (index.has(name) ? rows.map((r) => (typeof r[index.get(name)] === "number" ? r[index.get(name)] : null)) : null);
  return { x, series, has: (n) => index.has(n), count: rows.length };
}

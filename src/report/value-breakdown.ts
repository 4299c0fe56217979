/**
 * A run's value_eur taken apart by Paris-time day and by use of heat, from timeseries.csv and the run's economics
 * (run.json): what `chaleur compare` shows to say where one run won or lost against another. Pure (no files).
 *
 * It rebuilds value_eur as src/report/kpis.ts builds it — revenue − electricity × (day-ahead + grid fee) − starts −
 * discomfort × its price + the store's change × sale price × efficiency — from the CSV's 3-decimal values, so its
 * total agrees with kpis.json to well within a euro. Starts are read as a unit's heat going from 0 to above 0 (the
 * CSV has no start column): a start cut short before the unit made heat (a trip while starting) is not seen.
 */
import { InputError } from "../config/errors.ts";
import { parisLocalParts } from "../physics/paris-time.ts";
import { formatParisDay } from "./paris-time.ts";
import type { RunEconomics } from "./run-info.ts";

/** A parsed timeseries.csv: one value per physics step, `timeMs` the step's start (UTC). */
export interface Timeseries {
  timeMs: Float64Array;
  stepS: number;
  columns: Map<string, Float64Array>;
}

export const USES = [
  // label: the table's row; short: the same in a sentence ("gains most on heat sold").
  { key: "network_sale", label: "Heat sold to the network", short: "heat sold" },
  { key: "greenhouse_heat", label: "Heat to the greenhouse (direct + boost)", short: "greenhouse heat" },
  { key: "hp_electricity", label: "Heat-pump electricity", short: "heat-pump electricity" },
  { key: "chiller_electricity", label: "Chiller electricity", short: "chiller electricity" },
  { key: "fan_electricity", label: "Dry-cooler fan electricity", short: "dry-cooler fans" },
  { key: "starts", label: "Heat-pump starts", short: "starts" },
  { key: "comfort_penalty", label: "Greenhouse discomfort, priced", short: "discomfort" },
  { key: "store_change", label: "Change in the store (sale price × efficiency)", short: "the store's change" },
] as const;
export type UseKey = (typeof USES)[number]["key"];
export type ByUse = Record<UseKey, number>;

export interface DayValue {
  /** Paris local date, "2026-01-12": the key days of different runs are matched on. */
  date: string;
  /** "Mon 12 Jan". */
  label: string;
  byUse: ByUse;
  totalEur: number;
}

export interface ValueBreakdown {
  days: DayValue[];
  byUse: ByUse;
  totalEur: number;
  /** Starts seen in the time series (a unit's heat rising from 0). */
  starts: number;
}

export function zeroByUse(): ByUse {
  return Object.fromEntries(USES.map((u) => [u.key, 0])) as ByUse;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Value per day and per use; every € of it in exactly one day and one use, so both add up to the total. */
export function valueBreakdown(ts: Timeseries, e: RunEconomics): ValueBreakdown {
  const n = ts.timeMs.length;
  const dtH = ts.stepS / 3600;
  const col = (name: string) => ts.columns.get(name);
  const zeros = new Float64Array(n);
  const sold = col("dh_sold_kw") ?? zeros;
  const ghDirect = col("gh_direct_kw") ?? zeros;
  const ghBoost = col("gh_boost_kw") ?? zeros;
  const chillerElec = col("chiller_elec_kw") ?? zeros;
  const fanElec = col("dump_fan_elec_kw") ?? zeros;
  const price = col("price_el_eur_mwh") ?? zeros;
  const ghTemp = e.comfort ? col("gh_temp_c") : undefined;
  const store = e.storage ? col("storage_energy_kwh") : undefined;
  const units = Object.entries(e.start_cost_eur).map(([id, costEur]) => ({ heat: col(`${id}_heat_kw`) ?? zeros, elec: col(`${id}_elec_kw`) ?? zeros, costEur, wasOn: false }));

  const days: DayValue[] = [];
  let day: DayValue | undefined;
  // The store's content when the current day began: the model's start content, then each day's last value.
  let storeAtDayStartKwh = e.storage?.start_kwh ?? 0;
  let storeLastKwh = storeAtDayStartKwh;
  let starts = 0;
  const closeDay = () => {
    if (!day || !store || !e.storage) return;
    day.byUse.store_change = ((storeLastKwh - storeAtDayStartKwh) / 1000) * e.heat_sale_eur_per_mwh * e.storage.efficiency;
    storeAtDayStartKwh = storeLastKwh;
  };
  let hourKey = Number.NaN;
  let comfortMinC = Number.NaN;
  for (let i = 0; i < n; i++) {
    const t = ts.timeMs[i]!;
    const p = parisLocalParts(t);
    const date = `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
    if (day?.date !== date) {
      closeDay();
      day = { date, label: formatParisDay(t), byUse: zeroByUse(), totalEur: 0 };
      days.push(day);
    }
    const u = day.byUse;
    const mwh = dtH / 1000;
    u.network_sale += sold[i]! * mwh * e.heat_sale_eur_per_mwh;
    u.greenhouse_heat += (ghDirect[i]! + ghBoost[i]!) * mwh * e.greenhouse_heat_eur_per_mwh;
    const elecPrice = price[i]! + e.grid_fee_eur_per_mwh;
    let hpElecKw = 0;
    for (const unit of units) {
      hpElecKw += unit.elec[i]!;
      const on = unit.heat[i]! > 0;
      if (on && !unit.wasOn) {
        u.starts -= unit.costEur;
        starts++;
      }
      unit.wasOn = on;
    }
    u.hp_electricity -= hpElecKw * mwh * elecPrice;
    u.chiller_electricity -= chillerElec[i]! * mwh * elecPrice;
    u.fan_electricity -= fanElec[i]! * mwh * elecPrice;
    if (ghTemp && e.comfort) {
      // kpis.ts judges each step against the band at the step's end, by Paris local hour.
      const c = e.comfort;
      const end = t + ts.stepS * 1000;
      const hk = Math.floor(end / 3_600_000);
      if (hk !== hourKey) {
        hourKey = hk;
        const h = parisLocalParts(end).hour;
        comfortMinC = h >= c.day_start_hour && h < c.day_end_hour ? c.day_min_c : c.night_min_c;
      }
      const T = ghTemp[i]!;
      if (Number.isFinite(T)) u.comfort_penalty -= (Math.max(0, comfortMinC - T) + Math.max(0, T - c.day_max_c)) * dtH * e.comfort_penalty_eur_per_kh;
    }
    if (store) storeLastKwh = store[i]!;
  }
  closeDay();

  const byUse = zeroByUse();
  let totalEur = 0;
  for (const d of days) {
    for (const { key } of USES) {
      d.totalEur += d.byUse[key];
      byUse[key] += d.byUse[key];
    }
    totalEur += d.totalEur;
  }
  return { days, byUse, totalEur, starts };
}

/**
 * timeseries.csv as chaleur simulate writes it: `time` (ISO 8601 UTC) first, numeric columns, `mode` kept out.
 * Rows must be one step apart; `fallbackStepS` gives the step of a one-row file. A bad cell is refused with its line.
 */
export function parseTimeseriesCsv(text: string, file: string, fallbackStepS?: number): Timeseries {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = (lines[0] ?? "").replace(/\r$/, "").split(",");
  if (header[0] !== "time" || header.length < 2) throw new InputError(file, "header", "timeseries.csv from chaleur simulate: 'time' then columns such as dh_sold_kw", `got '${(lines[0] ?? "").slice(0, 60)}'`);
  const n = lines.length - 1;
  if (n < 1) throw new InputError(file, "", "at least one row of data", "it has only a header");
  const numeric = header.map((name, k) => k > 0 && name !== "mode");
  const arrays = header.map((_, k) => (numeric[k] ? new Float64Array(n) : null));
  const timeMs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const line = lines[r + 1]!.replace(/\r$/, "");
    const cells = line.split(",");
    const lineNo = r + 2;
    if (cells.length !== header.length) throw new InputError(file, `line ${lineNo}`, `${header.length} cells like the header`, `got ${cells.length}`);
    const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(cells[0]!) ? Date.parse(cells[0]!) : Number.NaN;
    if (!Number.isFinite(t)) throw new InputError(file, `line ${lineNo} column 'time'`, "an ISO 8601 UTC time, e.g. 2026-01-11T23:00:00Z", `got '${cells[0]}'`);
    timeMs[r] = t;
    for (let k = 1; k < cells.length; k++) {
      const a = arrays[k];
      if (!a) continue;
      const s = cells[k]!;
      // An empty cell is a value the simulator could not give (fmt3 writes "" for NaN), not a malformed file.
      const v = s === "" ? Number.NaN : Number(s);
      if (Number.isNaN(v) && s !== "") throw new InputError(file, `line ${lineNo} column '${header[k]}'`, "a number", `got '${s}'`);
      a[r] = v;
    }
  }
  const stepMs = n > 1 ? timeMs[1]! - timeMs[0]! : (fallbackStepS ?? Number.NaN) * 1000;
  if (!(stepMs > 0)) throw new InputError(file, "line 3 column 'time'", "rows one physics step apart, in time order", n > 1 ? `got ${(stepMs / 1000).toString()} s after line 2` : "a single row and no step given");
  for (let r = 2; r < n; r++) {
    if (timeMs[r]! - timeMs[r - 1]! !== stepMs) throw new InputError(file, `line ${r + 2} column 'time'`, `rows ${stepMs / 1000} s apart like the first two`, `got ${(timeMs[r]! - timeMs[r - 1]!) / 1000} s`);
  }
  const columns = new Map<string, Float64Array>();
  header.forEach((name, k) => {
    const a = arrays[k];
    if (a) columns.set(name, a);
  });
  return { timeMs, stepS: stepMs / 1000, columns };
}

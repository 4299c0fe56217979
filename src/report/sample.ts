/**
 * A deterministic, plausible one-week hourly ReportInput (two heat pumps, greenhouse, storage, a DST change and a few
 * negative prices), for tests and for previewing the report (`node --import tsx src/report/render-sample.ts out.html`).
 */

import type { HeatFlow, ReportInput } from "./types.ts";

/** Small seeded PRNG (mulberry32), so the sample is identical on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleOptions {
  hours?: number;
  startIso?: string;
  greenhouse?: boolean;
  storage?: boolean;
  seed?: number;
}

export function sampleReportInput(options: SampleOptions = {}): ReportInput {
  const hours = options.hours ?? 168;
  const startIso = options.startIso ?? "2025-03-23T23:00:00Z"; // Mon 24 Mar 2025 00:00 CET; DST starts Sun 30 Mar
  const greenhouse = options.greenhouse ?? true;
  const storage = options.storage ?? true;
  const seed = options.seed ?? 42;
  const rand = rng(seed);
  const start = Date.parse(startIso);
  const c: Record<string, number[]> = {};
  const push = (k: string, v: number): void => {
    (c[k] ??= []).push(Math.round(v * 100) / 100);
  };
  const timeMs: number[] = [];
  let stored = 1500;
  const capacity = 4000;
  const mwh: Record<string, number> = {};
  const flow = (from: string, to: string, kw: number): void => {
    const k = `${from}\u0000${to}`;
    mwh[k] = (mwh[k] ?? 0) + kw / 1000;
  };
  for (let h = 0; h < hours; h++) {
    const t = start + h * 3_600_000;
    timeMs.push(t);
    const hod = (h + 1) % 24; // ~Paris hour of day
    const day = Math.floor(h / 24);
    const daily = Math.sin(((hod - 9) / 24) * 2 * Math.PI);
    const outdoor = 8 + 5 * daily + 2 * Math.sin(day / 2) + (rand() - 0.5) * 1.2;
    const it = 900 + 35 * Math.sin(((hod - 14) / 24) * 2 * Math.PI) + (rand() - 0.5) * 20;
    const demand = 2500 - 55 * (outdoor - 8) + 250 * Math.exp(-(((hod - 7) / 2) ** 2)) + (rand() - 0.5) * 120;
    let price = 95 + 70 * Math.exp(-(((hod - 8) / 2) ** 2)) + 85 * Math.exp(-(((hod - 19) / 2) ** 2)) - 40 * Math.exp(-(((hod - 13) / 2.5) ** 2)) + (rand() - 0.5) * 20;
    if (day >= 5) price -= 45 + 55 * Math.exp(-(((hod - 13) / 2) ** 2)); // sunny weekend: negatives around noon
    const supply = 72 - 1.1 * (outdoor - 8) + (rand() - 0.5);
    const hp2Off = day === 2 && hod >= 9 && hod < 15; // maintenance window
    const cop = (n: number): number => 3.55 - 0.035 * (supply - 70) + n * 0.08 + (rand() - 0.5) * 0.06;
    const cop1 = cop(0);
    const cop2 = cop(-1);
    const heat1 = 545 + (rand() - 0.5) * 30;
    const heat2 = hp2Off ? 0 : 555 + (rand() - 0.5) * 30;
    const src1 = heat1 * (1 - 1 / cop1);
    const src2 = heat2 * (1 - 1 / cop2);
    const ghTemp = 19.5 + 3.2 * daily + (rand() - 0.5) * 0.8 - (hod >= 2 && hod <= 5 && day === 1 ? 3 : 0);
    const ghNeed = greenhouse ? Math.max(0, 260 - 18 * outdoor + (rand() - 0.5) * 30) : 0;
    const rest = Math.max(0, it - src1 - src2);
    const ghDirect = Math.min(rest, ghNeed * 0.6);
    const ghBoost = greenhouse ? Math.max(0, ghNeed - ghDirect) * 0.8 : 0;
    let chiller = hp2Off ? Math.max(0, rest - ghDirect) * 0.55 : 0;
    const dump = Math.max(0, rest - ghDirect - chiller);
    let charge = 0;
    if (storage) {
      if (price < 60 && stored < capacity) charge = Math.min(300, capacity - stored);
      else if (price > 150 && stored > 0) charge = -Math.min(350, stored);
      stored += charge;
    }
    const hpOut = heat1 + heat2;
    const sold = Math.max(0, Math.min(demand, hpOut - ghBoost - charge));
    if (!hp2Off) chiller = 0;
    push("it_heat_kw", it);
    push("hp1_heat_kw", heat1);
    push("hp2_heat_kw", heat2);
    push("hp1_cop", cop1);
    push("hp2_cop", hp2Off ? Number.NaN : cop2);
    push("dh_demand_kw", demand);
    push("dh_sold_kw", sold);
    push("dump_kw", dump);
    push("chiller_kw", chiller);
    push("outdoor_temp_c", day === 3 && hod >= 10 && hod < 13 ? Number.NaN : outdoor); // sensor gap
    push("fw_supply_temp_c", supply);
    push("price_el_eur_mwh", price);
    if (greenhouse) {
      push("gh_direct_kw", ghDirect);
      push("gh_boost_kw", ghBoost);
      push("gh_temp_c", ghTemp);
      // The tomato band of models/paris-chapelle.yaml: 20 °C by day (06–20 h local), 17 °C at night, 24 °C at most.
      push("gh_comfort_min_c", hod >= 6 && hod < 20 ? 20 : 17);
      push("gh_comfort_max_c", 24);
      push("gh_damage_c", 29);
    }
    if (storage) {
      push("storage_charge_kw", charge);
      push("storage_energy_kwh", stored);
    }
    const share1 = hpOut > 0 ? heat1 / hpOut : 0;
    flow("IT heat", "HP1", src1);
    flow("IT heat", "HP2", src2);
    flow("Electricity", "HP1", heat1 - src1);
    flow("Electricity", "HP2", heat2 - src2);
    if (greenhouse) flow("IT heat", "Greenhouse", ghDirect);
    flow("IT heat", "Dry coolers", dump);
    flow("IT heat", "Chiller", chiller);
    for (const [hp, share] of [["HP1", share1], ["HP2", 1 - share1]] as const) {
      flow(hp, "District heating", Math.min(sold, Math.max(0, sold + Math.min(0, charge))) * share);
      if (greenhouse) flow(hp, "Greenhouse", ghBoost * share);
      if (storage) flow(hp, "Storage", Math.max(0, charge) * share);
    }
    if (storage) flow("Storage", "District heating", Math.max(0, -charge));
  }
  const flows: HeatFlow[] = Object.entries(mwh).map(([k, v]) => {
    const [from = "", to = ""] = k.split("\u0000");
    return { from, to, energyMwh: Math.round(v * 10) / 10 };
  });
  const sum = (k: string): number => (c[k] ?? []).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0) / 1000;
  return {
    title: "Chapelle heat recovery — simulation report",
    scenarioName: "Paris spring week, two heat pumps",
    scenarioDescription: "Late-March week with the DST change, HP2 maintenance on Wednesday and a sunny weekend with negative day-ahead prices.",
    controller: "mpc-v3 (horizon 24 h, step 15 min)",
    modelName: "chapelle-plant 2025.1",
    startIso: new Date(start).toISOString(),
    endIso: new Date(start + hours * 3_600_000).toISOString(),
    seed,
    kpis: [
      { key: "it_heat_mwh", label: "IT waste heat", unit: "MWh", value: sum("it_heat_kw") },
      { key: "dh_sold_mwh", label: "District heating sold", unit: "MWh", value: sum("dh_sold_kw") },
      { key: "dump_mwh", label: "Heat dumped (dry coolers)", unit: "MWh", value: sum("dump_kw") },
      { key: "recovery_ratio", label: "IT heat recovered", unit: "%", value: 100 * (1 - (sum("dump_kw") + sum("chiller_kw")) / sum("it_heat_kw")) },
      { key: "mean_cop", label: "Mean COP (HP1)", unit: "–", value: (c.hp1_cop ?? []).reduce((s, v) => s + v, 0) / hours },
      { key: "revenue_eur", label: "Heat revenue", unit: "€", value: sum("dh_sold_kw") * 62 },
      { key: "gh_yield", label: "Greenhouse yield estimate", unit: "kg", value: null },
    ],
    modeMinutes: { optimal: 9120, held: 420, rule: 300, safe: 240 },
    series: { timeMs, resolution: "hourly mean", columns: c },
    heatPumps: ["hp1", "hp2"],
    flows,
    notes: [
      "HP2 out of service Wed 26 Mar 09:00–15:00 (planned maintenance); chiller covered part of the load.",
      "Outdoor temperature sensor: 3 h of missing data on Thu 27 Mar (gap shown in the chart).",
      "Clocks changed to CEST on Sun 30 Mar at 02:00 local time.",
    ],
  };
}

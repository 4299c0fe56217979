import type { Scenario } from "../config/scenario.ts";
import { itHeatMaxKw, type PlantModel } from "../model/plant-model.ts";
import { parisWeatherSpec, syntheticWeather } from "../physics/weather.ts";
import { syntheticPrices } from "../physics/prices.ts";
import { networkDemandKw, PARIS_MONTHLY_MEANS_C } from "../physics/demand.ts";
import { parisLocalParts } from "../physics/paris-time.ts";
import { createRng } from "../physics/random.ts";
import { loadEpwFile, alignEpwToYear } from "../data/epw.ts";
import { loadEntsoePricesFile } from "../data/entsoe.ts";
import { loadDhDemandFile, shapeToYear } from "../data/dh-demand.ts";
import type { ImportIssue } from "../data/series.ts";
import { concatRegular, holdAt, interpolateAt, uncoveredHours, type Regular } from "./resample.ts";
import { applyHeatwave } from "./heatwave.ts";

/** Everything outside the plant's control, one value per physics step: the "truth" the simulator runs on. */
export interface ScenarioInputs {
  n: number;
  startMs: number;
  stepS: number;
  outdoorTempC: Float64Array;
  solarWm2: Float64Array;
  priceElEurPerMwh: Float64Array;
  /** Network demand as if the network were always there (outages are applied by the engine). */
  dhDemandKw: Float64Array;
  itHeatKw: Float64Array;
  /** Data flaws and coverage gaps, reported in the run's report rather than absorbed silently. */
  notes: string[];
}

function yearsCovering(startMs: number, endMs: number): number[] {
  const a = new Date(startMs - 86_400_000).getUTCFullYear();
  const b = new Date(endMs + 86_400_000).getUTCFullYear();
  const out: number[] = [];
  for (let y = a; y <= b; y++) out.push(y);
  return out;
}

/**
 * The importers' flaws as report notes: each once (a typical year aligned to three calendar years says the same
 * thing three times), and only those inside the scenario's window where the flaw has a real time (a flaw a day
 * after the scenario ends changes nothing in it; flaws of a typical year or a shape have no such time).
 */
function issueNotes(label: string, issues: ImportIssue[], window: { startMs: number; endMs: number }): string[] {
  const seen = new Set<string>();
  const relevant = issues.filter((i) => {
    if (i.timeMs !== undefined && (i.timeMs < window.startMs - 3_600_000 || i.timeMs >= window.endMs)) return false;
    if (seen.has(i.message)) return false;
    seen.add(i.message);
    return true;
  });
  const text = (i: ImportIssue) => `${label}: ${i.message}${i.line && !i.message.startsWith(`line ${i.line}`) ? ` (line ${i.line})` : ""}`;
  const shown = relevant.slice(0, 5).map(text);
  if (relevant.length > 5) shown.push(`${label}: … and ${relevant.length - 5} more data issues`);
  return shown;
}

function coverageNote(label: string, src: Regular, startMs: number, endMs: number): string[] {
  const { beforeH, afterH } = uncoveredHours(src, startMs, endMs);
  if (beforeH <= 0 && afterH <= 0) return [];
  return [`${label}: the data covers the scenario except ${beforeH ? `${beforeH} h at the start` : ""}${beforeH && afterH ? " and " : ""}${afterH ? `${afterH} h at the end` : ""}; the nearest value is held there`];
}

function weatherHourly(sc: Scenario, years: number[], notes: string[]): { temp: Regular; ghi: Regular } {
  const m = sc.model;
  const w = sc.weather;
  if (w.source === "epw") {
    const epw = loadEpwFile(w.file);
    notes.push(...issueNotes(`weather ${w.file.split("/").pop()}`, epw.issues, sc));
    const aligned = years.map((y) => alignEpwToYear(epw, y));
    notes.push(...issueNotes("weather", aligned.flatMap((a) => a.issues), sc));
    const temp = concatRegular(aligned.map((a) => a.temp));
    if (w.shiftK) for (let i = 0; i < temp.values.length; i++) temp.values[i]! += w.shiftK;
    notes.push(`weather: typical year ${epw.location.city} aligned to the scenario's calendar by month, day and hour`);
    return { temp, ghi: concatRegular(aligned.map((a) => a.ghi)) };
  }
  const parts = years.map((year) =>
    syntheticWeather({
      ...parisWeatherSpec({ year, monthlyMeansC: PARIS_MONTHLY_MEANS_C, shiftK: w.shiftK, seed: sc.seed * 1000 + (year % 1000) }),
      latitudeDeg: m.site.latitudeDeg,
      longitudeDeg: m.site.longitudeDeg,
    }),
  );
  const temp = concatRegular(parts.map((p) => ({ startMs: p.startMs, stepS: p.stepS, values: p.tempC })));
  if (w.heatwave) applyHeatwave(temp, w.heatwave);
  return { temp, ghi: concatRegular(parts.map((p) => ({ startMs: p.startMs, stepS: p.stepS, values: p.ghiWm2 }))) };
}

function pricesHourly(sc: Scenario, years: number[], notes: string[]): Regular {
  const p = sc.prices;
  if (p.source === "entsoe") {
    const imp = loadEntsoePricesFile(p.file);
    notes.push(...issueNotes(`prices ${p.file.split("/").pop()}`, imp.issues, sc));
    return imp.series;
  }
  const parts = years.map((year) => {
    const s = syntheticPrices({ year, meanEurPerMwh: p.meanEurPerMwh, seed: sc.seed * 7919 + (year % 1000) });
    return { startMs: s.startMs, stepS: s.stepS, values: s.priceEurPerMwh };
  });
  return concatRegular(parts);
}

/** Network demand per step from the heating signature, or from a measured shape scaled to this loop. */
function demandPerStep(sc: Scenario, tempC: Float64Array, startMs: number, stepS: number, years: number[], notes: string[]): Float64Array {
  const m: PlantModel = sc.model;
  const n = tempC.length;
  const signature = new Float64Array(n);
  let hourOfWeek = 0;
  let hourStartMs = Number.NaN;
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepS * 1000;
    const hourMs = t - (t % 3_600_000);
    if (hourMs !== hourStartMs) {
      hourStartMs = hourMs;
      hourOfWeek = parisLocalParts(t).hourOfWeek;
    }
    signature[i] = networkDemandKw(m.network, tempC[i]!, hourOfWeek);
  }
  const d = sc.demand;
  if (d.source === "signature") return signature;
  const imp = loadDhDemandFile(d.file);
  notes.push(...issueNotes(`demand ${d.file.split("/").pop()}`, imp.issues, sc));
  let meanKw = d.meanKw;
  if (meanKw === undefined) {
    meanKw = signature.reduce((a, b) => a + b, 0) / n;
    notes.push(`demand: measured shape scaled to the heating signature's mean over this scenario, ${meanKw.toFixed(0)} kW`);
  }
  const shaped = concatRegular(years.map((y) => shapeToYear(imp.demand, y, { meanKw: meanKw! })));
  return interpolateAt(shaped, startMs, stepS, n);
}

/** IT heat: flat as measured at colocation sites, a faint daily rhythm and seeded noise inside the variation band. */
function itHeatPerStep(m: PlantModel, seed: number, startMs: number, stepS: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const rng = createRng(seed * 31 + 17);
  const nominal = m.it.loadKw * m.it.heatFraction;
  const band = m.it.variationPct / 100;
  const maxKw = itHeatMaxKw(m);
  let noise = 0;
  const phi = Math.exp(-stepS / 3600); // about an hour of memory
  const sigma = band * 0.35 * Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepS * 1000;
    const h = parisLocalParts(t).hour + (t % 3_600_000) / 3_600_000;
    const daily = band * 0.4 * Math.sin(((h - 9) / 24) * 2 * Math.PI);
    noise = phi * noise + sigma * rng.normal();
    const rel = Math.max(-band, Math.min(band, daily + noise));
    out[i] = Math.min(maxKw, nominal * (1 + rel));
  }
  return out;
}

export function buildInputs(sc: Scenario): ScenarioInputs {
  const stepS = sc.physicsStepS;
  const n = Math.round((sc.endMs - sc.startMs) / (stepS * 1000));
  const years = yearsCovering(sc.startMs, sc.endMs);
  const notes: string[] = [];
  const w = weatherHourly(sc, years, notes);
  notes.push(...coverageNote("weather", w.temp, sc.startMs, sc.endMs));
  const price = pricesHourly(sc, years, notes);
  notes.push(...coverageNote("prices", price, sc.startMs, sc.endMs));
  const outdoorTempC = interpolateAt(w.temp, sc.startMs, stepS, n);
  const solarWm2 = interpolateAt(w.ghi, sc.startMs, stepS, n);
  return {
    n,
    startMs: sc.startMs,
    stepS,
    outdoorTempC,
    solarWm2,
    priceElEurPerMwh: holdAt(price, sc.startMs, stepS, n),
    dhDemandKw: demandPerStep(sc, outdoorTempC, sc.startMs, stepS, years, notes),
    itHeatKw: itHeatPerStep(sc.model, sc.seed, sc.startMs, stepS, n),
    notes,
  };
}

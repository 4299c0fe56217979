import { describe, expect, it } from "vitest";
import { renderReport } from "./html.ts";
import { sampleReportInput } from "./sample.ts";
import type { ReportInput } from "./types.ts";

const CHART_IDS = ["chart-allocation", "chart-heat-pumps", "chart-cop", "chart-temperatures", "chart-price", "chart-storage", "sankey"];

function seriesPath(html: string, chartId: string, key: string): string {
  const fig = html.slice(html.indexOf(`id="${chartId}"`));
  const m = new RegExp(`<g class="series" data-key="${key}"><path[^>]* d="([^"]*)"`).exec(fig.slice(0, fig.indexOf("</figure>")));
  return m?.[1] ?? "";
}

describe("renderReport", () => {
  const full = sampleReportInput();
  const html = renderReport(full);

  it("renders a full input as one HTML document with every chart", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    for (const id of CHART_IDS) expect(html).toContain(`id="${id}"`);
    for (const key of ["dh_sold_kw", "gh_direct_kw", "gh_boost_kw", "dump_kw", "chiller_kw", "storage_charge_kw", "it_heat_kw", "dh_demand_kw", "hp1_heat_kw", "hp2_heat_kw", "hp1_cop", "hp2_cop", "outdoor_temp_c", "gh_temp_c", "fw_supply_temp_c", "price_el_eur_mwh", "storage_energy_kwh"]) {
      expect(html, key).toContain(`data-key="${key}"`);
    }
    // The band by day and night, from the model's columns (not a fixed 17–24 °C band hiding the daytime 20 °C).
    for (const key of ["gh_comfort_min_c", "gh_comfort_max_c", "gh_damage_c"]) expect(html, key).toContain(`data-key="${key}"`);
    expect(html).toContain("Comfort minimum (day / night)");
    expect(html).toContain("Facility-water supply");
    expect(html).not.toContain("Supply water (forward)");
    expect(html).toContain("Heat-pump COP");
    for (const k of full.kpis) expect(html).toContain(k.label);
    expect(html).toContain("Greenhouse yield estimate</td><td class=\"num\">—</td>");
    expect(html).toContain("<td>optimal</td><td class=\"num\">9\u202f120</td>");
    expect(html).toContain(full.notes[0]!.slice(0, 30));
    expect(html).toContain("Mon 24 Mar 2025 00:00 CET → Mon 31 Mar 2025 01:00 CEST");
    expect(html).toContain("2025-03-23 23:00 UTC → 2025-03-30 23:00 UTC");
  });

  it("is self-contained: no external URLs, script sources or stylesheets", () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!#)/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(?!#)[a-z]+:/i);
    expect(html).not.toMatch(/fetch\(|XMLHttpRequest/);
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
  });

  it("skips greenhouse series and the comfort band when the plant has no greenhouse", () => {
    const out = renderReport(sampleReportInput({ greenhouse: false }));
    expect(out).not.toMatch(/data-key="gh_/);
    expect(out).not.toContain("comfort band");
    expect(out).not.toContain("Greenhouse, direct");
    expect(out).not.toContain("Greenhouse air");
    expect(out).toContain('id="chart-temperatures"');
    expect(out).toContain('id="chart-allocation"');
  });

  it("skips the storage chart and layer without storage columns", () => {
    const out = renderReport(sampleReportInput({ storage: false }));
    expect(out).not.toContain('id="chart-storage"');
    expect(out).not.toContain('data-key="storage_charge_kw"');
    expect(out).not.toContain("Storage discharge is drawn below zero");
  });

  it("escapes every piece of text from the input", () => {
    const evil = "<script>alert('x')</script>";
    const input: ReportInput = {
      ...sampleReportInput({ hours: 24 }),
      title: `Report ${evil}`,
      scenarioName: evil,
      scenarioDescription: `a & b ${evil}`,
      controller: evil,
      modelName: evil,
      kpis: [{ key: evil, label: evil, unit: evil, value: 1 }],
      modeMinutes: { [evil]: 10 },
      notes: [evil],
      flows: [{ from: evil, to: "</svg>", energyMwh: 5 }],
    };
    const out = renderReport(input);
    expect(out).not.toContain("<script>alert");
    expect(out).not.toContain("</svg>\"");
    expect(out).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(out).toContain("a &amp; b");
    expect(out.match(/<script\b/g)).toHaveLength(2);
    expect(out.match(/<\/script>/g)).toHaveLength(2);
  });

  it("never prints NaN, undefined or Infinity, even from broken data", () => {
    const base = sampleReportInput({ hours: 48 });
    const cols: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(base.series.columns)) {
      cols[k] = v.map((x, i) => (i % 7 === 3 ? Number.NaN : i % 11 === 5 ? Number.POSITIVE_INFINITY : x));
    }
    cols.dump_kw = [1, 2, 3]; // shorter than timeMs
    cols.chiller_kw = base.series.timeMs.map(() => Number.NaN); // all missing
    cols.gh_temp_c = new Array<number>(48); // holes
    const input: ReportInput = {
      ...base,
      seed: Number.NaN,
      startIso: "not a date",
      kpis: [{ key: "k", label: "K", unit: "kW", value: Number.NaN }, { key: "n", label: "N", unit: "", value: null }],
      modeMinutes: { optimal: Number.NaN, safe: 5 },
      series: { ...base.series, timeMs: base.series.timeMs.map((t, i) => (i === 10 ? Number.NaN : t)), columns: cols },
      flows: [{ from: "A", to: "B", energyMwh: Number.NaN }, { from: "A", to: "C", energyMwh: 2 }, { from: "C", to: "D", energyMwh: Number.POSITIVE_INFINITY }],
    };
    const out = renderReport(input);
    expect(out).not.toMatch(/NaN|undefined|Infinity/);
    expect(out).toContain('id="chart-allocation"');
    expect(out).not.toContain('data-key="chiller_kw"');
  });

  it("breaks lines at missing values instead of joining across them", () => {
    const base = sampleReportInput({ hours: 24 });
    const price = base.series.columns.price_el_eur_mwh!.map((v, i) => (i === 12 ? Number.NaN : v));
    const out = renderReport({ ...base, series: { ...base.series, columns: { ...base.series.columns, price_el_eur_mwh: price } } });
    const d = seriesPath(out, "chart-price", "price_el_eur_mwh");
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).toMatch(/^M[\d.]+,[\d.]+ /);
    // 1-decimal coordinates only
    expect(d).not.toMatch(/\.\d\d/);
  });

  it("is deterministic", () => {
    expect(renderReport(sampleReportInput())).toBe(html);
    expect(renderReport(structuredClone(full))).toBe(html);
  });

  it("renders an input with no time series and no flows", () => {
    const out = renderReport({
      title: "Empty",
      scenarioName: "none",
      scenarioDescription: "",
      controller: "rule",
      modelName: "m",
      startIso: "2025-01-01T00:00:00Z",
      endIso: "2025-01-02T00:00:00Z",
      seed: 1,
      kpis: [],
      modeMinutes: {},
      series: { timeMs: [], resolution: "", columns: {} },
      heatPumps: [],
      flows: [],
      notes: [],
    });
    expect(out).toContain("No time-series data");
    expect(out).toContain("No heat flows");
    expect(out).not.toContain('class="chart"');
    expect(out).not.toMatch(/NaN|undefined/);
  });

  it("keeps a year of hourly data to a reasonable size", () => {
    const year = sampleReportInput({ hours: 8760, startIso: "2024-12-31T23:00:00Z" });
    const t = performance.now();
    const out = renderReport(year);
    const ms = performance.now() - t;
    expect(out.length).toBeLessThan(2_500_000);
    expect(ms).toBeLessThan(5000);
    expect(out).toContain(">Jan<");
    expect(out).not.toMatch(/NaN|undefined/);
  });

  it("finds heat pumps from column names when none are declared", () => {
    const out = renderReport({ ...sampleReportInput({ hours: 24 }), heatPumps: [] });
    expect(out).toContain('data-key="hp1_heat_kw"');
    expect(out).toContain('data-key="hp2_cop"');
  });
});

import { describe, expect, it } from "vitest";
import { cleanFlows, layoutSankey, renderSankey } from "./sankey.ts";
import type { HeatFlow } from "./types.ts";
import { allocationChart } from "./charts.ts";

const flows: HeatFlow[] = [
  { from: "IT heat", to: "Heat pumps", energyMwh: 120 },
  { from: "Electricity", to: "Heat pumps", energyMwh: 40 },
  { from: "IT heat", to: "Dry coolers", energyMwh: 30 },
  { from: "Heat pumps", to: "District heating", energyMwh: 130 },
  { from: "Heat pumps", to: "Greenhouse", energyMwh: 30 },
  { from: "IT heat", to: "Chiller", energyMwh: 0 },
];

function linkAttrs(svg: string): { mwh: number; width: number }[] {
  return [...svg.matchAll(/<path class="link"[^>]*stroke-width="([\d.]+)" data-mwh="([\d.]+)"/g)].map((m) => ({
    width: Number(m[1]),
    mwh: Number(m[2]),
  }));
}

describe("sankey", () => {
  it("makes link widths proportional to energy", () => {
    const links = linkAttrs(renderSankey(flows));
    expect(links).toHaveLength(5);
    const ratio = (links[0]?.width ?? 0) / (links[0]?.mwh ?? 1);
    expect(ratio).toBeGreaterThan(0);
    for (const l of links) expect(l.width / l.mwh).toBeCloseTo(ratio, 2);
    const layout = layoutSankey(flows);
    for (const l of layout?.links ?? []) expect(l.width).toBeCloseTo(l.energyMwh * (layout?.scale ?? 0), 9);
  });

  it("omits zero flows and orders nodes by first appearance", () => {
    const layout = layoutSankey(flows);
    expect(layout?.nodes.map((n) => n.name)).toEqual(["IT heat", "Heat pumps", "Electricity", "Dry coolers", "District heating", "Greenhouse"]);
    expect(renderSankey(flows)).not.toContain("Chiller");
  });

  it("puts sources left and sinks in the last column, labelled with MWh", () => {
    const layout = layoutSankey(flows);
    const col = Object.fromEntries((layout?.nodes ?? []).map((n) => [n.name, n.column]));
    expect(col).toEqual({ "IT heat": 0, Electricity: 0, "Heat pumps": 1, "Dry coolers": 2, "District heating": 2, Greenhouse: 2 });
    const svg = renderSankey(flows);
    expect(svg).toContain("150\u00a0MWh"); // IT heat: 120 + 30 (the zero flow is omitted)
    expect(svg).toContain("160\u00a0MWh"); // Heat pumps
  });

  it("merges duplicate flows, drops junk and survives cycles", () => {
    expect(cleanFlows([
      { from: "A", to: "B", energyMwh: 1 },
      { from: "A", to: "B", energyMwh: 2 },
      { from: "A", to: "A", energyMwh: 5 },
      { from: "B", to: "C", energyMwh: Number.NaN },
      { from: "B", to: "C", energyMwh: -4 },
    ])).toEqual([{ from: "A", to: "B", energyMwh: 3 }]);
    const cyclic = renderSankey([
      { from: "A", to: "B", energyMwh: 10 },
      { from: "B", to: "C", energyMwh: 8 },
      { from: "C", to: "A", energyMwh: 3 },
    ]);
    expect(cyclic).not.toMatch(/NaN|undefined|Infinity/);
    expect(linkAttrs(cyclic)).toHaveLength(3);
  });

  it("says so when there is nothing to draw", () => {
    expect(renderSankey([])).toContain("No heat flows");
    expect(renderSankey([{ from: "A", to: "B", energyMwh: 0 }])).toContain("No heat flows");
  });
});

describe("colours", () => {
  it("each use of heat has one colour in the Sankey and in the allocation chart", () => {
    const svg = renderSankey([
      { from: "IT heat", to: "Heat pumps", energyMwh: 60 },
      { from: "Heat pumps", to: "Hot loop", energyMwh: 70 },
      { from: "Hot loop", to: "Network (sold)", energyMwh: 50 },
      { from: "Hot loop", to: "Storage", energyMwh: 20 },
      { from: "IT heat", to: "Dry coolers", energyMwh: 30 },
    ]);
    const chart = allocationChart({ dh_sold_kw: [1, 2], storage_charge_kw: [1, 2], dump_kw: [1, 2] }, "hourly mean");
    const colourOf = (key: string) => chart.areas!.find((a) => a.key === key)!.color;
    const linkInto = (to: string) => new RegExp(`stroke="([^"]+)"[^>]*><title>[^<]* → ${to}:`).exec(svg)?.[1];
    expect(linkInto("Network \\(sold\\)")).toBe(colourOf("dh_sold_kw"));
    expect(linkInto("Storage")).toBe(colourOf("storage_charge_kw"));
    expect(linkInto("Dry coolers")).toBe(colourOf("dump_kw"));
    expect(new Set([colourOf("dh_sold_kw"), colourOf("storage_charge_kw"), colourOf("dump_kw")]).size).toBe(3);
  });
});

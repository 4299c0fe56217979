/**
 * Heat-flow Sankey diagram as inline SVG. Nodes are the unique from/to names in order of appearance; columns are
 * the longest path from a source (sinks pushed to the last column); link stroke widths are exactly ∝ energy.
 */

import { escapeHtml } from "./escape.ts";
import { coord, formatNumber, formatPercent } from "./format.ts";
import { cycleColor, FLOW_COLORS } from "./palette.ts";
import type { HeatFlow } from "./types.ts";

export interface SankeyNode {
  name: string;
  column: number;
  value: number;
  x: number;
  y: number;
  height: number;
  color: string;
}

export interface SankeyLink {
  from: number;
  to: number;
  energyMwh: number;
  width: number;
  /** Centre of the band at the source and at the target. */
  y0: number;
  y1: number;
}

export interface SankeyLayout {
  nodes: SankeyNode[];
  links: SankeyLink[];
  width: number;
  height: number;
  /** SVG units per MWh. */
  scale: number;
}

const WIDTH = 960;
const NODE_WIDTH = 14;
const LABEL_SPACE = 170;
const NODE_GAP = 34;
const PAD_Y = 14;

/** Keep finite, positive flows between distinct named nodes; merge duplicates (first occurrence keeps its place). */
export function cleanFlows(flows: readonly HeatFlow[] | undefined): HeatFlow[] {
  const merged = new Map<string, HeatFlow>();
  for (const f of flows ?? []) {
    if (!f || typeof f.from !== "string" || typeof f.to !== "string" || f.from === f.to) continue;
    if (typeof f.energyMwh !== "number" || !Number.isFinite(f.energyMwh) || f.energyMwh <= 0) continue;
    const key = JSON.stringify([f.from, f.to]);
    const prev = merged.get(key);
    if (prev) prev.energyMwh += f.energyMwh;
    else merged.set(key, { from: f.from, to: f.to, energyMwh: f.energyMwh });
  }
  return [...merged.values()];
}

export function layoutSankey(input: readonly HeatFlow[]): SankeyLayout | null {
  const flows = cleanFlows(input);
  if (flows.length === 0) return null;
  const names: string[] = [];
  const index = new Map<string, number>();
  const idOf = (name: string): number => {
    let i = index.get(name);
    if (i === undefined) {
      i = names.length;
      names.push(name);
      index.set(name, i);
    }
    return i;
  };
  const raw = flows.map((f) => ({ from: idOf(f.from), to: idOf(f.to), energyMwh: f.energyMwh }));
  const n = names.length;
  // Longest-path depth, bounded so cycles cannot loop forever.
  const depth = new Array<number>(n).fill(0);
  for (let pass = 0; pass < n; pass++) {
    let changed = false;
    for (const l of raw) {
      const d = (depth[l.from] ?? 0) + 1;
      if (d > (depth[l.to] ?? 0) && d < n) {
        depth[l.to] = d;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const hasOut = new Array<boolean>(n).fill(false);
  for (const l of raw) hasOut[l.from] = true;
  const maxDepth = Math.max(...depth);
  for (let i = 0; i < n; i++) if (!hasOut[i]) depth[i] = maxDepth;
  const inSum = new Array<number>(n).fill(0);
  const outSum = new Array<number>(n).fill(0);
  for (const l of raw) {
    outSum[l.from]! += l.energyMwh;
    inSum[l.to]! += l.energyMwh;
  }
  const columns: number[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (let i = 0; i < n; i++) columns[depth[i] ?? 0]!.push(i);
  const maxInColumn = Math.max(...columns.map((c) => c.length));
  const height = Math.max(320, maxInColumn * 72 + 2 * PAD_Y);
  const avail = height - 2 * PAD_Y;
  const value = (i: number): number => Math.max(inSum[i] ?? 0, outSum[i] ?? 0);
  let scale = Number.POSITIVE_INFINITY;
  for (const col of columns) {
    if (col.length === 0) continue;
    const total = col.reduce((s, i) => s + value(i), 0);
    scale = Math.min(scale, (avail - NODE_GAP * (col.length - 1)) / total);
  }
  if (!Number.isFinite(scale) || scale <= 0) scale = 1e-9;
  const colCount = columns.length;
  const xOfColumn = (c: number): number =>
    colCount === 1 ? WIDTH / 2 - NODE_WIDTH / 2 : LABEL_SPACE + (c / (colCount - 1)) * (WIDTH - 2 * LABEL_SPACE - NODE_WIDTH);
  const nodes: SankeyNode[] = names.map((name, i) => ({
    name,
    column: depth[i] ?? 0,
    value: value(i),
    x: xOfColumn(depth[i] ?? 0),
    y: 0,
    height: Math.max(1, value(i) * scale),
    color: FLOW_COLORS[name] ?? cycleColor(i),
  }));
  const place = (col: number[]): void => {
    const used = col.reduce((s, i) => s + nodes[i]!.height, 0) + NODE_GAP * Math.max(0, col.length - 1);
    let y = PAD_Y + Math.max(0, (avail - used) / 2);
    for (const i of col) {
      nodes[i]!.y = y;
      y += nodes[i]!.height + NODE_GAP;
    }
  };
  columns.forEach(place);
  // Fewer crossings: order columns after the first by the energy-weighted mean height of their sources
  // (ties keep order of appearance). The first column keeps the order of appearance.
  const centre = (i: number): number => nodes[i]!.y + nodes[i]!.height / 2;
  for (let sweep = 0; sweep < 3; sweep++) {
    for (const col of columns.slice(1)) {
      const key = new Map<number, number>();
      for (const i of col) {
        let w = 0;
        let sum = 0;
        for (const l of raw) {
          if (l.to !== i) continue;
          w += l.energyMwh;
          sum += l.energyMwh * centre(l.from);
        }
        key.set(i, w > 0 ? sum / w : centre(i));
      }
      col.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0) || a - b);
      place(col);
    }
  }
  const links: SankeyLink[] = raw.map((l) => ({ ...l, width: l.energyMwh * scale, y0: 0, y1: 0 }));
  // Stack link ends on each node, ordered by the other end's position to limit crossings.
  const outOffset = new Array<number>(n).fill(0);
  const inOffset = new Array<number>(n).fill(0);
  const byTarget = [...links].sort((a, b) => centre(a.to) - centre(b.to) || nodes[a.to]!.x - nodes[b.to]!.x);
  for (const l of byTarget) {
    l.y0 = nodes[l.from]!.y + outOffset[l.from]! + l.width / 2;
    outOffset[l.from]! += l.width;
  }
  const bySource = [...links].sort((a, b) => centre(a.from) - centre(b.from) || nodes[a.from]!.x - nodes[b.from]!.x);
  for (const l of bySource) {
    l.y1 = nodes[l.to]!.y + inOffset[l.to]! + l.width / 2;
    inOffset[l.to]! += l.width;
  }
  return { nodes, links, width: WIDTH, height, scale };
}

function linkPath(layout: SankeyLayout, l: SankeyLink): string {
  const a = layout.nodes[l.from]!;
  const b = layout.nodes[l.to]!;
  const x0 = a.x + NODE_WIDTH;
  const x1 = b.x;
  if (x1 > x0) {
    const xm = (x0 + x1) / 2;
    return `M${coord(x0)},${coord(l.y0)}C${coord(xm)},${coord(l.y0)} ${coord(xm)},${coord(l.y1)} ${coord(x1)},${coord(l.y1)}`;
  }
  // Backward or same-column link (a cycle): loop out to the right and back in from the left, below the nodes.
  const below = Math.max(a.y + a.height, b.y + b.height) + 20 + l.width / 2;
  return `M${coord(x0)},${coord(l.y0)}C${coord(x0 + 60)},${coord(l.y0)} ${coord(x0 + 60)},${coord(below)} ${coord(x0)},${coord(below)}H${coord(x1 + NODE_WIDTH)}C${coord(x1 - 60)},${coord(below)} ${coord(x1 - 60)},${coord(l.y1)} ${coord(x1)},${coord(l.y1)}`;
}

/** "1 234 MWh" / "12.3 MWh": fewer decimals for big values. */
export function formatMwh(v: number): string {
  return `${formatNumber(v, v >= 100 ? 0 : v >= 10 ? 1 : 2)}\u00a0MWh`;
}

export function renderSankey(flows: readonly HeatFlow[]): string {
  const layout = layoutSankey(flows);
  if (!layout) return `<p class="empty">No heat flows to show.</p>`;
  const lastColumn = Math.max(...layout.nodes.map((nd) => nd.column));
  const parts: string[] = [];
  const linkOrder = layout.links.map((l, i) => i).sort((a, b) => layout.links[b]!.width - layout.links[a]!.width || a - b);
  for (const i of linkOrder) {
    const l = layout.links[i]!;
    const a = layout.nodes[l.from]!;
    const b = layout.nodes[l.to]!;
    const title = `${a.name} → ${b.name}: ${formatMwh(l.energyMwh)}`;
    // A link into a use of heat takes that use's colour (the same as in the charts); others their source's.
    const color = b.name in FLOW_COLORS && !["Heat pumps", "Hot loop"].includes(b.name) ? b.color : a.color;
    parts.push(
      `<path class="link" d="${linkPath(layout, l)}" stroke="${color}" stroke-width="${Math.max(0.01, Math.round(l.width * 100) / 100)}" data-mwh="${l.energyMwh}"><title>${escapeHtml(title)}</title></path>`,
    );
  }
  for (const nd of layout.nodes) {
    const leftLabel = nd.column === 0 && lastColumn > 0;
    const rightLabel = !leftLabel;
    const tx = leftLabel ? nd.x - 6 : nd.x + NODE_WIDTH + 6;
    const anchor = rightLabel ? "start" : "end";
    const cy = nd.y + nd.height / 2;
    parts.push(
      `<g class="node"><rect x="${coord(nd.x)}" y="${coord(nd.y)}" width="${NODE_WIDTH}" height="${coord(nd.height)}" fill="${nd.color}" stroke="#333" stroke-width="0.6"><title>${escapeHtml(`${nd.name}: ${formatMwh(nd.value)}`)}</title></rect>` +
        `<text x="${coord(tx)}" y="${coord(cy - 2)}" text-anchor="${anchor}" class="node-name">${escapeHtml(nd.name)}</text>` +
        `<text x="${coord(tx)}" y="${coord(cy + 12)}" text-anchor="${anchor}" class="node-value">${formatMwh(nd.value)}</text></g>`,
    );
  }
  const svg = `<svg class="sankey" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Heat flows (Sankey diagram)">${parts.join("")}</svg>`;
  const total = layout.nodes.filter((nd) => nd.column === 0).reduce((s, nd) => s + nd.value, 0);
  const rows = cleanFlows(flows)
    .map((f) => `<tr><td>${escapeHtml(f.from)}</td><td>${escapeHtml(f.to)}</td><td class="num">${formatMwh(f.energyMwh)}</td><td class="num">${formatPercent(f.energyMwh, total)}</td></tr>`)
    .join("");
  const table =
    `<details class="flow-table"><summary>Flow table</summary><table><thead><tr><th>From</th><th>To</th><th class="num">Energy</th><th class="num">Share of inputs</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></details>`;
  return svg + table;
}

// uPlot (global `uPlot`, served at /vendor/uPlot.iife.min.js) with the HMI's conventions: Paris time axes,
// muted series, width following the container, stacked areas built from cumulative sums and bands.

import { TZ, fmtNum, fmtTime, fmtDay } from "./util.js";
import { reportError } from "./store.js";

export const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1e3), TZ);

/** Muted trend colours (ISA-101: no bright colour for normal data). */
export const C = {
  sold: "#4d6a86",
  ghDirect: "#71906a",
  ghBoost: "#a9bd93",
  charge: "#8a7fa3",
  dump: "#b3b3b3",
  chiller: "#5e5e5e",
  price: "#1f1f1f",
  it: "#000000",
  temp1: "#6a4f3a",
  temp2: "#4d6a86",
  temp3: "#71906a",
  hp: ["#4d4d4d", "#8a7fa3", "#71906a", "#4d6a86", "#a07a50", "#7a7a7a"],
};

const AXIS = { stroke: "#333", grid: { stroke: "#d4d4d4", width: 1 }, ticks: { stroke: "#bdbdbd", width: 1 }, font: "12px system-ui, sans-serif" };

/** Time axis in Paris time, 24-hour clock, the day written under the first tick of each day. */
export function timeAxis() {
  return {
    ...AXIS, size: 46,
    values: (u, splits, ai, space, incr) => {
      let prevDay = null;
      return splits.map((ts) => {
        if (ts == null) return "";
        const day = fmtDay(ts * 1000);
        let label;
        if (incr >= 86400) label = day;
        else {
          const t = fmtTime(ts * 1000, { date: false, seconds: incr < 60 });
          label = day !== prevDay ? `${t}\n${day}` : t;
        }
        prevDay = day;
        return label;
      });
    },
  };
}
export function valueAxis(unit, { side = 3, scale = "y", grid = true, size = 64 } = {}) {
  return {
    ...AXIS, scale, side, size,
    grid: grid ? AXIS.grid : { show: false },
    label: unit, labelSize: 18, labelFont: "12px system-ui, sans-serif",
    values: (u, splits) => splits.map((v) => (v == null ? "" : fmtNum(v, "", Math.abs(v) < 10 && v % 1 ? 1 : 0))),
  };
}

/** A stepped series (the plan's values hold over each step). */
export function stepSeries(label, stroke, unit, extra = {}) {
  return {
    label, stroke, width: 1.5, scale: "y",
    paths: uPlot.paths.stepped({ align: 1 }),
    points: { show: false },
    value: (u, v) => fmtNum(v, unit),
    ...extra,
  };
}
export function lineSeries(label, stroke, unit, extra = {}) {
  return {
    label, stroke, width: 1.5, scale: "y", points: { show: false },
    value: (u, v) => fmtNum(v, unit), spanGaps: false, ...extra,
  };
}

/**
 * Stacks series 1..n of `data` (x first). Returns the stacked data and the bands that fill between neighbours;
 * `raw` keeps the unstacked values for the legend. `omit(i)` leaves a series unstacked (e.g. a price line).
 */
export function stack(data, omit = () => false) {
  const n = data[0].length;
  const acc = new Array(n).fill(0);
  const out = [data[0]];
  const bands = [];
  let prev = -1;
  for (let i = 1; i < data.length; i++) {
    if (omit(i)) { out.push(data[i]); continue; }
    out.push(data[i].map((v, j) => (acc[j] += v ?? 0)));
    if (prev > 0) bands.push({ series: [i, prev] });
    prev = i;
  }
  return { data: out, bands };
}

/**
 * A chart living in `container`: (re)built with `render(opts, data)`, resized with its container (hidden tabs
 * have no width: the chart is sized when it becomes visible).
 */
export class Chart {
  constructor(container, height) {
    this.container = container;
    this.height = height;
    this.u = null;
    this.ro = new ResizeObserver(() => this.fit());
    this.ro.observe(container);
  }
  width() {
    return Math.max(200, Math.floor(this.container.clientWidth || 0));
  }
  render(opts, data) {
    try {
      if (this.u) { this.u.destroy(); this.u = null; }
      this.container.replaceChildren();
      const series = opts.series.slice();
      series[0] = { value: (u, ts) => (ts == null ? "—" : fmtTime(ts * 1000, { seconds: false })), label: "Paris time", ...series[0] };
      this.u = new uPlot({ width: this.width(), height: this.height, tzDate, ...opts, series }, data, this.container);
    } catch (e) {
      reportError(e);
    }
  }
  fit() {
    if (!this.u) return;
    const w = Math.floor(this.container.clientWidth || 0);
    if (w > 0 && Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height: this.height });
  }
  /** Draws again (hooks included: the "now" line, override spans, the legend). */
  redraw() {
    if (!this.u) return;
    this.u.redraw(false, false);
    if (this.u.cursor.idx == null) this.u.setCursor({ left: -10, top: -10 });
  }
  clear(message) {
    if (this.u) { this.u.destroy(); this.u = null; }
    this.container.replaceChildren();
    if (message) {
      const p = document.createElement("p");
      p.className = "chart-empty";
      p.textContent = message;
      this.container.append(p);
    }
  }
}

/** The legend shows the values at `idx(u)` (e.g. now, or the latest point) whenever the cursor is off the chart. */
export function legendAt(idx) {
  const set = (u) => {
    if (u.cursor.idx != null) return;
    const i = idx(u);
    if (Number.isInteger(i) && i >= 0) u.setLegend({ idx: i }, false);
  };
  return { hooks: { ready: [set], setCursor: [set], setData: [set] } };
}

/** The index of the last x not after `ts` (the step in force at `ts`); the last point when ts is past the end. */
export function indexAt(xs, ts) {
  if (!xs.length) return null;
  let i = 0;
  while (i + 1 < xs.length && xs[i + 1] <= ts) i++;
  return i;
}

/** Draw hook: hatched spans [{from, to, label}] (seconds) and a "now" line, over the plot area. */
export function spansPlugin(getSpans, getNow) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, height);
          ctx.clip();
          const dpr = devicePixelRatio || 1;
          for (const s of getSpans() || []) {
            const x0 = Math.max(left, u.valToPos(s.from, "x", true));
            const x1 = Math.min(left + width, u.valToPos(s.to, "x", true));
            if (!(x1 > x0)) continue;
            ctx.fillStyle = "rgba(40,40,40,0.08)";
            ctx.fillRect(x0, top, x1 - x0, height);
            ctx.save();
            ctx.beginPath();
            ctx.rect(x0, top, x1 - x0, height);
            ctx.clip();
            ctx.strokeStyle = "rgba(40,40,40,0.3)";
            ctx.lineWidth = 1 * dpr;
            ctx.beginPath();
            for (let x = x0 - height; x < x1; x += 12 * dpr) {
              ctx.moveTo(x, top + height);
              ctx.lineTo(x + height, top);
            }
            ctx.stroke();
            ctx.restore();
            ctx.strokeStyle = "#333";
            ctx.strokeRect(x0, top, x1 - x0, height);
            ctx.fillStyle = "#222";
            ctx.font = `${12 * dpr}px system-ui, sans-serif`;
            ctx.fillText(s.label, x0 + 4 * dpr, top + 14 * dpr);
          }
          const now = getNow && getNow();
          if (Number.isFinite(now)) {
            const x = u.valToPos(now, "x", true);
            if (x >= left && x <= left + width) {
              ctx.strokeStyle = "#000";
              ctx.lineWidth = 2 * dpr;
              ctx.setLineDash([4 * dpr, 3 * dpr]);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.fillStyle = "#000";
              ctx.font = `${11 * dpr}px system-ui, sans-serif`;
              ctx.fillText("now", x + 3 * dpr, top + 26 * dpr);
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}


import { parisLocalParts } from "../physics/paris-time.ts";

/**
 * Overlays a heatwave on an hourly temperature series: inside the window each day runs from `minC` at 05:00 to
 * `maxC` at 15:00 local (cosine shape, as in the 2019 Paris heatwave records), blended over 12 h at both edges.
 */
export function applyHeatwave(temp: { startMs: number; stepS: number; values: Float64Array }, hw: { startMs: number; endMs: number; maxC: number; minC: number }): void {
  const blendMs = 12 * 3_600_000;
  for (let i = 0; i < temp.values.length; i++) {
    const t = temp.startMs + (i + 0.5) * temp.stepS * 1000;
    if (t < hw.startMs - blendMs || t > hw.endMs + blendMs) continue;
    const w = t < hw.startMs ? 1 - (hw.startMs - t) / blendMs : t > hw.endMs ? 1 - (t - hw.endMs) / blendMs : 1;
    const p = parisLocalParts(t);
    const h = p.hour + p.minute / 60;
    // 05:00 → 0, 15:00 → 1, back to 0 at 05:00 next day (10 h warming, 14 h cooling).
    const x = h >= 5 && h < 15 ? (h - 5) / 10 : ((h - 15 + 24) % 24) / 14;
    const shape = h >= 5 && h < 15 ? 0.5 - 0.5 * Math.cos(Math.PI * x) : 0.5 + 0.5 * Math.cos(Math.PI * x);
    const hot = hw.minC + (hw.maxC - hw.minC) * shape;
    temp.values[i] = (1 - w) * temp.values[i]! + w * hot;
  }
}

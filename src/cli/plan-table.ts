import type { PlantModel } from "../model/plant-model.ts";
import type { PlanOutcome } from "../optimizer/optimize.ts";
import { parisLocalParts } from "../physics/paris-time.ts";

const pad = (s: string, w: number) => s.padStart(w);
const kw = (x: number) => x.toFixed(0);

/** A plan as an operator reads it: one line per step, Paris local time, kW. */
export function formatPlanTable(m: PlantModel, o: PlanOutcome): string {
  const head = `${o.message}; objective ${o.objectiveEur === null ? "—" : `${o.objectiveEur.toFixed(2)} €`}; ${o.solveMs.toFixed(0)} ms`;
  if (!o.plan) return head;
  const hpIds = m.heatPumps.map((h) => h.id);
  const cols = ["local time", ...hpIds.map((id) => `${id} kW`), "sold kW", "store kWh", "gh dir", "gh boost", "gh °C", "dump kW", "chiller", "€/MWh"];
  const w = cols.map((c) => Math.max(7, c.length));
  const lines = [head, cols.map((c, i) => pad(c, w[i]!)).join(" ")];
  for (const s of o.plan.steps) {
    const p = parisLocalParts(s.timeMs);
    const t = `${String(p.day).padStart(2, "0")}/${String(p.month).padStart(2, "0")} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
    const cells = [t, ...s.hps.map((h) => (h.on ? kw(h.heatKw) : "off")), kw(s.dhSoldKw), kw(s.storageEnergyKwh), kw(s.ghDirectKw), kw(s.ghBoostKw), s.ghTempC === null ? "—" : s.ghTempC.toFixed(1), kw(s.dumpKw), kw(s.chillerKw), s.priceElEurPerMwh.toFixed(1)];
    lines.push(cells.map((c, i) => pad(c, w[i]!)).join(" "));
  }
  return lines.join("\n");
}

import type { PlantModel } from "../model/plant-model.ts";
import { chillerCapacityAtKw, dumpCapacityKw, fullLoadCops, ghDirectMaxKw } from "../model/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { stepBoundsMs } from "../optimizer/plan-grid.ts";
import { narrowed } from "../optimizer/formulation/context.ts";
import { overrideBounds } from "./override-bounds.ts";
import { describeOverride, type Override } from "./overrides.ts";

/**
 * Cooling first (DESIGN §3, §8): an override is refused if, at some step of the forecast it covers, the plant
 * could no longer take all the servers' heat — or would have to take more than they give. For each step: what the
 * dry coolers and the chiller can reject at the forecast outdoor temperature, what the greenhouse exchanger can
 * take, and what the heat pumps can lift — no more than the network, the greenhouse boost and the store's free
 * room can absorb on the hot side. Each bound is the equipment's best, so a refusal is certain; an override this
 * lets through may still leave the plan tighter, which the optimizer then handles (or fails, and the ladder acts).
 * The store's energy is followed step by step as the heat pumps would fill it when cooling needs them, which ties
 * the steps together only approximately: the verdict that counts is the optimizer's (`planCheck` in
 * daemon/operations.ts); this check names the step and the figures.
 *
 * Steps from `designFromStep` on lie beyond the forecast (see override-window.ts): there the outdoor temperature is
 * the model's cooling design temperature and the greenhouse, which needs no heat then, is not counted on.
 */
export interface CoolingVerdict {
  ok: boolean;
  /** The first step that fails, in words an operator can act on. */
  reason: string | null;
  /** The forecast's end: an override lasting longer was checked up to here. */
  checkedUntilMs: number;
  /** The first step that fails (index and start), null when ok. */
  failedStep: { index: number; startMs: number } | null;
}

export interface CoolingCheckInput {
  model: PlantModel;
  forecast: PlanForecast;
  storageEnergyKwh: number;
  ghTempC: number | null;
  /** Overrides pending, the proposed one included. */
  overrides: readonly Override[];
  /** The proposed override (named in the reason, its window checked); null: every step, all the overrides. */
  proposed: Override | null;
  /** Steps from this index on are beyond the forecast, at design conditions (default: none). */
  designFromStep?: number;
}

/** kW a step's figure may exceed another's before it counts (rounding of forecasts and COPs). */
const TOLERANCE_KW = 1;

export function coolingCheck(c: CoolingCheckInput): CoolingVerdict {
  const { model: m, forecast: f } = c;
  const b = overrideBounds(m, c.overrides, f.startMs, f.stepsS, { anyOverlap: true });
  const times = stepBoundsMs(f.startMs, f.stepsS);
  let storeKwh = c.storageEnergyKwh;
  const p = c.proposed;
  const covered = (t: number) => p === null || (times[t + 1]! > p.startMs && times[t]! < p.expiryMs);
  const designFrom = c.designFromStep ?? f.n;
  for (let t = 0; t < f.n; t++) {
    const dtH = f.stepsS[t]! / 3600;
    const outC = f.outdoorTempC[t]!;
    const itKw = f.itHeatKw[t]!;
    const dumpKw = narrowed(0, dumpCapacityKw(m, outC), b.dumpKw?.[t])[1];
    const chillerKw = narrowed(0, chillerCapacityAtKw(m, outC), b.chillerKw?.[t])[1];
    const directKw = m.greenhouse && t < designFrom ? narrowed(0, ghDirectMaxKw(m, c.ghTempC ?? m.greenhouse.comfort.nightMinC), b.ghDirectKw?.[t])[1] : 0;
    // Hot side: what can take the heat pumps' output this step.
    const soldKw = narrowed(0, Math.max(0, Math.min(f.dhDemandKw[t]!, m.network.contractMaxKw)), b.dhSoldKw?.[t])[1];
    const boostKw = m.greenhouse ? narrowed(0, m.greenhouse.boostMaxKw, b.ghBoostKw?.[t])[1] : 0;
    const st = m.storage;
    const chargeKw = st ? Math.max(0, Math.min(st.chargeMaxKw, (st.capacityKwh - storeKwh) / dtH)) : 0;
    const sinkKw = soldKw + boostKw + chargeKw;
    const cops = fullLoadCops(m, outC);
    // Units fixed by an override first (their output is given), then the free ones, best COP first.
    const units = m.heatPumps.map((h, i) => {
      const bound = b.hp?.[h.id]?.[t];
      const avail = f.hpAvailable[i]?.[t] ?? true;
      const fixedKw = bound ? (bound.on && avail ? bound.heatKw : 0) : null;
      return { id: h.id, cop: cops[i]!, fixedKw, maxKw: bound || !avail ? 0 : h.heatMaxKw };
    });
    const fixedHeatKw = units.reduce((a, u) => a + (u.fixedKw ?? 0), 0);
    const fixedSourceKw = units.reduce((a, u) => a + (u.fixedKw ?? 0) * (1 - 1 / u.cop), 0);
    const free = units.filter((x) => x.fixedKw === null).sort((a, z) => z.cop - a.cop);
    // What the heat pumps could take at most (for the verdict), and what cooling needs of them (the store fills
    // only with what the network and the greenhouse cannot take of that, so its room is not spent for nothing).
    const needSourceKw = Math.max(0, itKw - dumpKw - chillerKw - directKw);
    let roomKw = Math.max(0, sinkKw - fixedHeatKw);
    let hpSourceKw = fixedSourceKw;
    let usedSourceKw = fixedSourceKw;
    let usedHeatKw = fixedHeatKw;
    let usedRoomKw = roomKw;
    for (const u of free) {
      const q = Math.min(u.maxKw, roomKw);
      roomKw -= q;
      hpSourceKw += q * (1 - 1 / u.cop);
      const need = Math.max(0, Math.min(u.maxKw, usedRoomKw, (needSourceKw - usedSourceKw) / (1 - 1 / u.cop)));
      usedRoomKw -= need;
      usedHeatKw += need;
      usedSourceKw += need * (1 - 1 / u.cop);
    }
    storeKwh = st ? Math.min(st.capacityKwh, storeKwh + Math.max(0, usedHeatKw - soldKw - boostKw) * dtH * st.efficiency) : 0;
    if (!covered(t)) continue;
    const when = `at ${parisTime(times[t]!)}${t >= designFrom ? ` (beyond the forecast: at the ${m.coolingDesignOutdoorC} °C cooling design temperature)` : ""}`;
    const inForce = c.overrides.filter((o) => o.startMs < times[t + 1]! && Math.min(o.expiryMs, o.clearedMs ?? Infinity) > times[t]!);
    const withWhat = p ? `with ${describeOverride(p)}` : `with ${inForce.map((o) => `#${o.id} ${describeOverride(o)}`).join(", ") || "no override"}`;
    const refuse = (reason: string): CoolingVerdict => ({ ok: false, reason, checkedUntilMs: times[f.n]!, failedStep: { index: t, startMs: times[t]! } });
    if (fixedHeatKw > sinkKw + TOLERANCE_KW) {
      return refuse(`hot loop: ${when} the network, the greenhouse and the store can take ${fmt(sinkKw)} kW; ${withWhat} the heat pumps would make ${fmt(fixedHeatKw)} kW`);
    }
    if (fixedSourceKw > itKw + TOLERANCE_KW) {
      return refuse(`cooling first: ${when} the servers give ${fmt(itKw)} kW; ${withWhat} the heat pumps would draw ${fmt(fixedSourceKw)} kW from their water`);
    }
    const totalKw = dumpKw + chillerKw + directKw + hpSourceKw;
    if (itKw > totalKw + TOLERANCE_KW) {
      const parts = [`dry coolers ${fmt(dumpKw)} kW at ${outC.toFixed(1)} °C outdoor`, `chiller ${fmt(chillerKw)} kW`, `heat pumps ${fmt(hpSourceKw)} kW for the heat the network, greenhouse and store can take`];
      if (m.greenhouse) parts.push(`greenhouse exchanger ${fmt(directKw)} kW`);
      return refuse(`cooling first: ${when} the servers give ${fmt(itKw)} kW; ${withWhat} the plant could take at most ${fmt(totalKw)} kW (${parts.join(", ")})`);
    }
  }
  return { ok: true, reason: null, checkedUntilMs: times[f.n]!, failedStep: null };
}

const PARIS = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" });

/** Times for people: Europe/Paris (DESIGN §6). */
export function parisTime(ms: number): string {
  return PARIS.format(ms);
}

function fmt(kw: number): string {
  return Math.round(kw).toLocaleString("en-GB");
}

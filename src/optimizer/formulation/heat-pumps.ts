import { fullLoadCops } from "../../model/plant-model.ts";
import { stepsStartingBefore, windowStartSteps } from "../plan-grid.ts";
import { fixedAt, type FormulationContext } from "./context.ts";

/** Variable indices of one heat pump over the horizon. */
export interface HpVars {
  id: string;
  on: number[];
  heat: number[];
  start: number[];
  cop: number[];
}

/**
 * Heat pumps: on/off u, heat q ∈ [u·Qmin, u·Qmax], electricity q/COP[t] with COP from the forecast outdoor
 * temperature, source heat q·(1 − 1/COP) into the cooling balance, start indicator with start cost, ramp limit,
 * minimum up/down times (including the history the unit brings into the horizon).
 */
export function addHeatPumps(ctx: FormulationContext): HpVars[] {
  const { b, m, f, n, dtH } = ctx;
  const cops = Array.from({ length: n }, (_, t) => fullLoadCops(m, f.outdoorTempC[t]!));
  return m.heatPumps.map((hp, i) => {
    const st = ctx.s.hps[i] ?? { on: false, heatKw: 0, stateS: 1e9 };
    // Steps that start while the unit must stay as it is (its minimum up/down time still running).
    const keepOnSteps = st.on ? stepsStartingBefore(f.stepsS, hp.minUpMin * 60 - st.stateS) : 0;
    const keepOffSteps = !st.on ? stepsStartingBefore(f.stepsS, hp.minDownMin * 60 - st.stateS) : 0;
    // A start (stop) at step k holds the unit on (off) through the steps that begin within the minimum time.
    const upFrom = windowStartSteps(f.stepsS, hp.minUpMin * 60);
    const downFrom = windowStartSteps(f.stepsS, hp.minDownMin * 60);
    const needStarts = upFrom.some((k, t) => k < t);
    const needStops = downFrom.some((k, t) => k < t);
    const v: HpVars = { id: hp.id, on: [], heat: [], start: [], cop: [] };
    const stops: number[] = [];
    for (let t = 0; t < n; t++) {
      const avail = f.hpAvailable[i]?.[t] ?? true;
      const fix = fixedAt(ctx, t) ? ctx.opts.fixes?.hp?.[hp.id] : undefined;
      let lbOn = 0;
      let ubOn = avail ? 1 : 0;
      if (avail && t < keepOnSteps) lbOn = 1;
      if (t < keepOffSteps) ubOn = 0;
      if (fix) lbOn = ubOn = fix.on && avail ? 1 : 0;
      // An operator's override wins over the minimum up/down times (a unit taken off for maintenance goes off).
      const ov = ctx.opts.bounds?.hp?.[hp.id]?.[t];
      if (ov) lbOn = ubOn = ov.on && avail ? 1 : 0;
      const fixedKw = ov ? (ov.on ? ov.heatKw : null) : fix?.on ? fix.heatKw : null;
      const integer = t < (ctx.opts.integerSteps ?? n);
      const u = b.addVar(`u_${hp.id}_${t}`, lbOn, Math.max(lbOn, ubOn), integer ? "binary" : "continuous");
      const q = fixedKw !== null && avail ? b.addVar(`q_${hp.id}_${t}`, fixedKw, fixedKw) : b.addVar(`q_${hp.id}_${t}`, 0, hp.heatMaxKw);
      const s = b.addVar(`start_${hp.id}_${t}`, 0, 1);
      const cop = cops[t]![i]!;
      v.on.push(u);
      v.heat.push(q);
      v.start.push(s);
      v.cop.push(cop);

      b.addCon(`hpmin_${hp.id}_${t}`, hp.id, [[q, 1], [u, -hp.heatMinKw]], ">=", 0);
      b.addCon(`hpmax_${hp.id}_${t}`, hp.id, [[q, 1], [u, -hp.heatMaxKw]], "<=", 0);
      // start ≥ u[t] − u[t−1], stop ≥ u[t−1] − u[t]; the previous state is a constant at t = 0.
      const prevOn = t === 0 ? null : v.on[t - 1]!;
      const prevConst = st.on ? 1 : 0;
      b.addCon(`hpstart_${hp.id}_${t}`, hp.id, prevOn === null ? [[s, 1], [u, -1]] : [[s, 1], [u, -1], [prevOn, 1]], ">=", prevOn === null ? -prevConst : 0);
      // Stop indicators are only needed to enforce a minimum down time longer than one step.
      if (needStops) {
        const d = b.addVar(`stop_${hp.id}_${t}`, 0, 1);
        stops.push(d);
        b.addCon(`hpstop_${hp.id}_${t}`, hp.id, prevOn === null ? [[d, 1], [u, 1]] : [[d, 1], [u, 1], [prevOn, -1]], ">=", prevOn === null ? prevConst : 0);
      }

      // Ramp: up by R per step (a start may jump to minimum load), down by R unless stopping.
      const rampKw = hp.rampKwPerMin * dtH[t]! * 60;
      // Where an override dictates the unit, its ramp and minimum times are the PLC's business, not the plan's.
      if (rampKw < hp.heatMaxKw && !ov) {
        const prevQ = t === 0 ? null : v.heat[t - 1]!;
        const q0 = st.on ? st.heatKw : 0;
        b.addCon(`hprampup_${hp.id}_${t}`, hp.id, prevQ === null ? [[q, 1], [s, -hp.heatMinKw]] : [[q, 1], [prevQ, -1], [s, -hp.heatMinKw]], "<=", rampKw + (prevQ === null ? q0 : 0));
        b.addCon(`hprampdown_${hp.id}_${t}`, hp.id, prevQ === null ? [[q, -1], [u, hp.heatMaxKw]] : [[prevQ, 1], [q, -1], [u, hp.heatMaxKw]], "<=", rampKw + hp.heatMaxKw - (prevQ === null ? q0 : 0));
      }
      // Minimum up time: a start in the last U steps keeps the unit on; minimum down time likewise for stops.
      if (needStarts && !ov) {
        const terms: [number, number][] = [[u, -1]];
        for (let k = upFrom[t]!; k <= t; k++) terms.push([v.start[k]!, 1]);
        b.addCon(`hpminup_${hp.id}_${t}`, hp.id, terms, "<=", 0);
      }
      if (needStops && !ov) {
        const terms: [number, number][] = [[u, 1]];
        for (let k = downFrom[t]!; k <= t; k++) terms.push([stops[k]!, 1]);
        b.addCon(`hpmindown_${hp.id}_${t}`, hp.id, terms, "<=", 1);
      }

      ctx.cooling[t]!.push([q, 1 - 1 / cop]);
      ctx.hotLoop[t]!.push([q, 1]);
      b.addObj(q, -(ctx.elecEurPerKwh[t]! / cop) * dtH[t]!);
      b.addObj(s, -hp.startCostEur);
    }
    return v;
  });
}

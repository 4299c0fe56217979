import { ghDirectKwPerK } from "../../model/plant-model.ts";
import { comfortMaxC, comfortMinC } from "../../config/comfort.ts";
import { greenhouseCoolingKw, greenhouseSensibleSolarKw, greenhouseSteady } from "../../physics/greenhouse.ts";
import { narrowed, type FormulationContext } from "./context.ts";

/** Kept inside the comfort band's edges (K), for what happens between plan steps. */
const BAND_MARGIN_K = 0.3;

/**
 * Spreads of the outdoor temperature forecast (outdoorTempSigmaK) added to the comfort minimum beyond the binary
 * window (see below). Measured on a crisis-price April (250 €/MWh, mpc, 30 days, 2026-11-30): 69 → 51 starts, 22 → 5
 * runs of 60 min or less, value_eur 296.73 → 506.76 € (oracle: 45 starts, 1 short run, 576.98 €). Planning the tail
 * on a night 2 σ colder instead (where the exchanger gives more as the greenhouse cools) kept too little in the
 * store: 55 starts, 9 short runs, 449.48 €.
 */
const HEDGE_SIGMAS = 2;

export interface GreenhouseVars {
  direct: number[];
  boost: number[];
  /** temp[t] is the air temperature at the END of step t. */
  temp: number[];
}

/**
 * Greenhouse: free direct heat bounded by the exchanger at the (variable) greenhouse temperature, boost from the
 * hot loop, the linear RC temperature solved exactly over the step, vents as free cooling, and the comfort band as soft limits with a penalty per K·h.
 */
export function addGreenhouse(ctx: FormulationContext): GreenhouseVars | null {
  const { b, m, f, n, dtH, boundsMs } = ctx;
  const g = m.greenhouse;
  if (!g || ctx.s.ghTempC === null) return null;
  const spec = g.spec;
  const hxKwPerK = ghDirectKwPerK(m);
  const hxRefC = m.facilityWater.returnTempC - g.directHx.emitterOffsetK;
  const penalty = m.economics.comfortPenaltyEurPerKh;
  const value = m.economics.greenhouseHeatEurPerMwh / 1000;
  const v: GreenhouseVars = { direct: [], boost: [], temp: [] };
  const t0C = ctx.s.ghTempC;
  for (let t = 0; t < n; t++) {
    const outC = f.outdoorTempC[t]!;
    const a = Math.exp(-(spec.uaKwPerK / spec.capacityKwhPerK) * dtH[t]!);
    const endMs = boundsMs[t + 1]!;
    const prev = t === 0 ? null : v.temp[t - 1]!;
    const d = b.addVar(`gh_direct_${t}`, ...narrowed(0, hxKwPerK * Math.max(0, hxRefC - comfortMinC(m, endMs)), ctx.opts.bounds?.ghDirectKw?.[t]));
    // Exchanger: d ≤ ε·Cmin·(T_fw,return − offset − T_gh) at the step's starting temperature. When the greenhouse
    // is warmer than the exchanger's reference that bound is negative (infeasible with d ≥ 0): `hxRelief` K lift it,
    // at a cost above what the extra heat could earn, so it is only used to stay feasible, never to inflate d.
    const relief = b.addVar(`gh_hxrelief_${t}`, 0, 200);
    b.addObj(relief, -(2 * hxKwPerK * dtH[t]! * value + 0.01));
    b.addCon(`gh_hx_${t}`, "greenhouse", prev === null ? [[d, 1], [relief, -hxKwPerK]] : [[d, 1], [prev, hxKwPerK], [relief, -hxKwPerK]], "<=", hxKwPerK * hxRefC - (prev === null ? hxKwPerK * t0C : 0));
    const bo = b.addVar(`gh_boost_${t}`, ...narrowed(0, g.boostMaxKw, ctx.opts.bounds?.ghBoostKw?.[t]));
    // The greenhouse's own cooling (vents, then shading screen, then fog: physics/greenhouse.ts) removes a heat that
    // depends on T and would make a hot sunny step infeasible as a bound, so the bound is a constant: what the
    // cooling removes where the unheated greenhouse settles (the physics' steady state or thermostat hold), or, when
    // that is within 1 K of the band's top, what it removes fully on at the band's top + 1 K. Always feasible, and
    // on a hot day the plan settles where the simulator does instead of cooling below the cascade's own holds. The
    // optimizer cannot cool anyway; this only keeps its forecast honest. The sun counts without the transpired share.
    const sunWm2 = f.solarWm2[t]!;
    const solarKw = greenhouseSensibleSolarKw(spec, sunWm2);
    const steady = greenhouseSteady(spec, { heatKw: 0, outdoorTempC: outC, solarWm2: sunWm2 });
    const bandTopC = comfortMaxC(m) + 1;
    const coolMaxKw = steady.tempC > bandTopC ? steady.coolingKw : greenhouseCoolingKw(spec, { tempC: bandTopC, outdoorTempC: outC, solarWm2: sunWm2 });
    const vent = b.addVar(`gh_vent_${t}`, 0, coolMaxKw);
    // Real vents open only above vent_start_c. Venting is priced just above the heat's value, so the plan never
    // heats to earn and vents the excess, yet still vents sun rather than overheat the crop.
    b.addObj(vent, -(value + 0.001) * dtH[t]!);
    const temp = b.addVar(`gh_temp_${t}`, -100, 200);
    const lo = b.addVar(`gh_under_${t}`, 0, 200);
    const hi = b.addVar(`gh_over_${t}`, 0, 200);
    // T[t] = a·T[t−1] + (1 − a)·(T_out + (d + boost − vent + solar)/UA)
    const c = (1 - a) / spec.uaKwPerK;
    const rhs = (1 - a) * (outC + solarKw / spec.uaKwPerK);
    const terms: [number, number][] = [[temp, 1], [d, -c], [bo, -c], [vent, c]];
    if (prev !== null) terms.push([prev, -a]);
    b.addCon(`gh_rc_${t}`, "greenhouse", terms, "=", rhs + (prev === null ? a * t0C : 0));
    // The band is judged minute by minute, the plan only at step ends: the end of a step must already meet the
    // next step's minimum (the 06:00 rise to the day band), with a small margin for the sag inside a step.
    const minC = Math.max(comfortMinC(m, endMs), comfortMinC(m, endMs + f.stepsS[Math.min(t + 1, n - 1)]! * 1000 - 1)) + BAND_MARGIN_K;
    // Beyond the binary window the plan decides what the store keeps for later (the night, the 06:00 rise). On the
    // point forecast alone it kept just what that forecast needed: at crisis prices the units run only in cheap
    // hours, so each night colder than forecast took a start for a top-up at minimum load, most of it sold at a loss
    // (issue 11 item 3). There the greenhouse keeps HEDGE_SIGMAS forecast spreads above its minimum (a kelvin colder
    // outside is about a kelvin colder inside); the binary window, acted on now and re-planned every period, plans on
    // the point forecast, so the hedge is heat held in the store, not heat put into the greenhouse.
    const hedgeK = t >= (ctx.opts.integerSteps ?? n) ? HEDGE_SIGMAS * (f.outdoorTempSigmaK?.[t] ?? 0) : 0;
    b.addCon(`gh_min_${t}`, "greenhouse", [[temp, 1], [lo, 1]], ">=", minC + hedgeK);
    b.addCon(`gh_max_${t}`, "greenhouse", [[temp, 1], [hi, -1]], "<=", comfortMaxC(m) - BAND_MARGIN_K);
    b.addObj(lo, -penalty * dtH[t]!);
    b.addObj(hi, -penalty * dtH[t]!);
    b.addObj(d, value * dtH[t]!);
    b.addObj(bo, value * dtH[t]!);
    ctx.cooling[t]!.push([d, 1]);
    ctx.hotLoop[t]!.push([bo, -1]);
    v.direct.push(d);
    v.boost.push(bo);
    v.temp.push(temp);
  }
  return v;
}

import { chillerCapacityAtKw, chillerEerAt, dumpCapacityKw } from "../../model/plant-model.ts";
import { fixedAt, narrowed, type FormulationContext } from "./context.ts";

export interface RejectVars {
  dump: number[];
  chiller: number[];
}

/** Dry coolers (capacity falls with outdoor temperature, fans ~2 % of heat) and the chiller (EER from outdoor temperature). */
export function addReject(ctx: FormulationContext): RejectVars {
  const { b, m, f, n, dtH } = ctx;
  const v: RejectVars = { dump: [], chiller: [] };
  for (let t = 0; t < n; t++) {
    const outC = f.outdoorTempC[t]!;
    let dumpMax = dumpCapacityKw(m, outC);
    let chillerMax = chillerCapacityAtKw(m, outC);
    if (fixedAt(ctx, t)) {
      dumpMax = Math.min(dumpMax, ctx.opts.fixes?.dumpMaxKw ?? Infinity);
      chillerMax = Math.min(chillerMax, ctx.opts.fixes?.chillerMaxKw ?? Infinity);
    }
    const bd = ctx.opts.bounds;
    const dump = b.addVar(`dump_${t}`, ...narrowed(0, dumpMax, bd?.dumpKw?.[t]));
    const chl = b.addVar(`chiller_${t}`, ...narrowed(0, chillerMax, bd?.chillerKw?.[t]));
    b.addObj(dump, -m.dryCoolers.fanFraction * ctx.elecEurPerKwh[t]! * dtH[t]!);
    b.addObj(chl, -(ctx.elecEurPerKwh[t]! / chillerEerAt(m, outC)) * dtH[t]!);
    ctx.cooling[t]!.push([dump, 1], [chl, 1]);
    v.dump.push(dump);
    v.chiller.push(chl);
  }
  return v;
}

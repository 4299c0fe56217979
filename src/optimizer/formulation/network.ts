import { narrowed, type FormulationContext } from "./context.ts";

/** Heat sold to the network: at most its forecast demand and the contract limit; paid at the sale price. */
export function addNetwork(ctx: FormulationContext): number[] {
  const { b, m, f, n, dtH } = ctx;
  const sold: number[] = [];
  for (let t = 0; t < n; t++) {
    const maxKw = Math.max(0, Math.min(f.dhDemandKw[t]!, m.network.contractMaxKw));
    const [lo, hi] = narrowed(0, maxKw, ctx.opts.bounds?.dhSoldKw?.[t]);
    const v = b.addVar(`dh_sold_${t}`, lo, hi);
    b.addObj(v, (m.economics.heatSaleEurPerMwh / 1000) * dtH[t]!);
    ctx.hotLoop[t]!.push([v, -1]);
    sold.push(v);
  }
  return sold;
}

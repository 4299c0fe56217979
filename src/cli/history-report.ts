import { writeFileSync } from "node:fs";
import { InputError } from "../config/errors.ts";
import { loadModel } from "../config/plant-model.ts";
import type { PlantModel } from "../model/plant-model.ts";
import { renderReport } from "../report/html.ts";
import { periodReport } from "../report/history-period.ts";
import { pooledAccuracy } from "../store/scoring.ts";
import { openReadableHistory } from "../store/history.ts";
import type { StoredCycle } from "../store/reader.ts";
import { periodOf, type PeriodOptions } from "./export.ts";
import { checkOutputFile } from "./output-path.ts";

/**
 * `chaleur report --db FILE [--from] [--to] [--out FILE]`: the HTML report of a period of real operation (KPIs,
 * heat allocation, modes, forecast accuracy), valued with the plant model the daemon ran with (kept in the history),
 * or with --model.
 */
export interface HistoryReportOptions extends PeriodOptions {
  out: string;
  model?: string;
}

export function runHistoryReport(o: HistoryReportOptions): { file: string; cycles: number } {
  const out = checkOutputFile("--out", o.out);
  const h = openReadableHistory(o.db);
  try {
    const { fromMs, toMs } = periodOf(h.reader, o);
    let model: PlantModel;
    if (o.model !== undefined) model = loadModel(o.model);
    else {
      const json = h.reader.modelJson();
      if (!json) throw new InputError(o.db, "", "a history that names its plant model", "it has none; give --model FILE");
      model = JSON.parse(json) as PlantModel;
    }
    const plans = h.reader.plans(fromMs, toMs);
    let cycles = 0;
    const counted = (function* (it: Iterable<StoredCycle>) {
      for (const c of it) {
        cycles++;
        yield c;
      }
    })(h.reader.cycles(fromMs, toMs));
    const input = periodReport({
      model,
      fromMs,
      toMs,
      cycles: counted,
      solveMs: plans.filter((p) => p.solveMs !== null).map((p) => p.solveMs!),
      plans: plans.length,
      modeChanges: h.reader.modeChanges(fromMs, toMs).length,
      // Forecasts scored by the daemon once their horizon passed, pooled at 1, 6 and 24 h ahead.
      forecastAccuracy: pooledAccuracy(h.reader.forecasts(fromMs, toMs)),
      source: o.db,
    });
    if (cycles === 0) throw new InputError(o.db, "", "cycles in the period asked for", `none between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
    writeFileSync(out, renderReport(input));
    return { file: out, cycles };
  } finally {
    h.close();
  }
}

import type { PlantModel } from "../model/plant-model.ts";
import type { Observation } from "../control/types.ts";
import type { Sample } from "../io/types.ts";
import type { ForecastArrays } from "../forecast/plant-forecast.ts";
import { daemonForecast, MEASURED_AS, type DaemonForecast, type DropForecasts } from "../forecast/daemon-forecast.ts";
import { HourlyAccumulator } from "../forecast/hourly-accumulator.ts";
import { DEFAULT_WINDOW_DAYS } from "../forecast/learned/index.ts";

/**
 * The daemon's forecaster: the learned forecasters' hourly data in memory (seeded from the history at start, fed by
 * each cycle's good samples), the drop folder's files, and the plant's arrays, composed by daemonForecast.
 */
export interface DaemonForecaster {
  observe(samples: ReadonlyMap<string, Sample>): void;
  make(obs: Observation, grid: readonly number[], arrays: ForecastArrays | null): DaemonForecast;
}

/** The measurements the learned forecasters learn from. */
const LEARNED_TAGS = { itHeat: MEASURED_AS.it_heat_kw, dhDemand: MEASURED_AS.dh_demand_kw, outdoorTemp: MEASURED_AS.outdoor_temp_c } as const;

export interface ForecasterDeps {
  model: PlantModel;
  nowMs: number;
  /** Hourly means from the history, to seed the window (hours before the current one). */
  seed?: (tag: string, fromMs: number, toMs: number) => { startMs: number; values: Float64Array };
  drop?: { current(nowMs: number): DropForecasts };
  windowDays?: number;
}

export function daemonForecaster(d: ForecasterDeps): DaemonForecaster {
  const days = d.windowDays ?? DEFAULT_WINDOW_DAYS;
  const acc = { itHeat: new HourlyAccumulator(days, d.nowMs), dhDemand: new HourlyAccumulator(days, d.nowMs), outdoorTemp: new HourlyAccumulator(days, d.nowMs) };
  if (d.seed) {
    const toMs = Math.floor(d.nowMs / 3_600_000) * 3_600_000;
    for (const k of Object.keys(LEARNED_TAGS) as (keyof typeof LEARNED_TAGS)[]) {
      const s = d.seed(LEARNED_TAGS[k], toMs - days * 86_400_000, toMs);
      s.values.forEach((v, i) => acc[k].add(s.startMs + i * 3_600_000, v));
    }
  }
  return {
    observe(samples) {
      for (const k of Object.keys(LEARNED_TAGS) as (keyof typeof LEARNED_TAGS)[]) {
        const s = samples.get(LEARNED_TAGS[k]);
        if (s && s.quality === "good") acc[k].add(s.sourceMs, s.value);
      }
    },
    make(obs, grid, arrays) {
      const histories = { itHeat: acc.itHeat.series(obs.timeMs), dhDemand: acc.dhDemand.series(obs.timeMs), outdoorTemp: acc.outdoorTemp.series(obs.timeMs) };
      return daemonForecast(d.model, obs, grid, { arrays, drop: d.drop?.current(obs.timeMs) ?? {}, histories });
    },
  };
}

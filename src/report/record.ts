import { MODES, type Mode } from "../control/types.ts";
import type { PlantModel } from "../model/plant-model.ts";
import { fmt3 } from "./timeseries-csv.ts";

/**
 * One recorded step, the same for the simulator (one per physics step) and the daemon (one per cycle): the
 * `timeseries.csv` columns by name (DESIGN §6), the step's length and the controller mode. A quantity the recorder
 * does not know (the daemon does not measure the store's standing loss) is NaN and written as an empty cell.
 */
export interface StepRecord {
  timeMs: number;
  durationS: number;
  mode: Mode;
  /** Heat-pump starts during the step. */
  hpStarts: number;
  values: Record<string, number>;
}

/** A sink for step records. A record may be reused by its producer after record() returns: copy what you keep. */
export interface Recorder {
  record(r: StepRecord): void;
  close(): void;
}

/** The timeseries.csv columns of a plant, between `time` and `mode`, in their order. */
export function timeseriesColumns(m: PlantModel): string[] {
  const out = ["it_heat_kw"];
  for (const h of m.heatPumps) out.push(`${h.id}_heat_kw`, `${h.id}_elec_kw`, `${h.id}_cop`);
  out.push("dh_demand_kw", "dh_sold_kw");
  if (m.greenhouse) out.push("gh_direct_kw", "gh_boost_kw", "gh_temp_c", "gh_vent_kw");
  if (m.storage) out.push("storage_energy_kwh", "storage_charge_kw", "storage_loss_kw");
  out.push("dump_kw", "dump_fan_elec_kw", "chiller_kw", "chiller_elec_kw", "fw_supply_temp_c", "outdoor_temp_c", "solar_w_m2", "price_el_eur_mwh", "balance_residual_kw");
  return out;
}

/** In-memory columns, one Float64Array per column (the simulator's result and reports). */
export class ColumnsRecorder implements Recorder {
  readonly columns = new Map<string, Float64Array>();
  readonly mode: Uint8Array;
  readonly hpStarts: number[];
  #n = 0;
  readonly #names: string[];
  readonly #cols: Float64Array[];

  constructor(names: readonly string[], capacity: number, heatPumps: number) {
    this.#names = [...names];
    this.#cols = this.#names.map((k) => {
      const a = new Float64Array(capacity);
      this.columns.set(k, a);
      return a;
    });
    this.mode = new Uint8Array(capacity);
    this.hpStarts = new Array<number>(heatPumps).fill(0);
  }

  get length(): number {
    return this.#n;
  }

  record(r: StepRecord): void {
    const i = this.#n++;
    for (let k = 0; k < this.#cols.length; k++) this.#cols[k]![i] = r.values[this.#names[k]!] ?? Number.NaN;
    this.mode[i] = MODES.indexOf(r.mode);
  }

  close(): void {}
}

/** The header of timeseries.csv for these columns. */
export function timeseriesCsvHeader(names: readonly string[]): string {
  return `time,${names.join(",")},mode\n`;
}

/**
 * One timeseries.csv line: the time (ISO 8601 UTC, whole seconds), each column by name (3 decimals, empty when
 * unknown), the mode. The simulator's writer and `chaleur export` give the same bytes for the same record.
 */
export function timeseriesCsvLine(timeMs: number, mode: string, names: readonly string[], valueOf: (name: string) => number | undefined): string {
  let line = new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const k of names) line += `,${fmt3(valueOf(k) ?? Number.NaN)}`;
  return `${line},${mode}\n`;
}

/** Running energy totals (MWh) and minutes per mode over records of any length: the daemon's live summary. */
export class KpiAccumulator implements Recorder {
  heatItMwh = 0;
  heatSoldMwh = 0;
  heatGreenhouseMwh = 0;
  heatDumpedMwh = 0;
  hpElecMwh = 0;
  hpStarts = 0;
  readonly modeMinutes: Record<Mode, number> = { optimal: 0, held: 0, rule: 0, safe: 0 };
  readonly #hpElec: string[];

  constructor(m: PlantModel) {
    this.#hpElec = m.heatPumps.map((h) => `${h.id}_elec_kw`);
  }

  record(r: StepRecord): void {
    const mwh = (k: string) => {
      const v = r.values[k];
      return v !== undefined && Number.isFinite(v) ? (v * r.durationS) / 3.6e6 : 0;
    };
    this.heatItMwh += mwh("it_heat_kw");
    this.heatSoldMwh += mwh("dh_sold_kw");
    this.heatGreenhouseMwh += mwh("gh_direct_kw") + mwh("gh_boost_kw");
    this.heatDumpedMwh += mwh("dump_kw") + mwh("chiller_kw");
    for (const k of this.#hpElec) this.hpElecMwh += mwh(k);
    this.hpStarts += r.hpStarts;
    this.modeMinutes[r.mode] += r.durationS / 60;
  }

  close(): void {}
}

/** Sends each record to every sink. */
export function teeRecorder(...sinks: Recorder[]): Recorder {
  return {
    record: (r) => sinks.forEach((s) => s.record(r)),
    close: () => sinks.forEach((s) => s.close()),
  };
}

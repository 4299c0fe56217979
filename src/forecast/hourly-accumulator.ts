import type { HourlySeries } from "./learned/index.ts";

/**
 * The learned forecasters' data, kept in memory by the daemon: hourly sums of a few measurements over a rolling
 * window, seeded from the history at start and fed by every cycle, so a plan never waits on a query over weeks of
 * raw rows. Pure: times and values come in as arguments.
 */
const HOUR_MS = 3_600_000;

export class HourlyAccumulator {
  readonly #hours: number;
  readonly #sum: Float64Array;
  readonly #count: Float64Array;
  /** Index of the hour in slot 0 (hours since the epoch); the ring holds [first, first + hours). */
  #first: number;

  constructor(windowDays: number, nowMs: number) {
    this.#hours = Math.ceil(windowDays * 24) + 1;
    this.#sum = new Float64Array(this.#hours);
    this.#count = new Float64Array(this.#hours);
    this.#first = Math.floor(nowMs / HOUR_MS) - this.#hours + 1;
  }

  /** Slides the window so that the hour of nowMs is its last. */
  #slide(hour: number): void {
    const last = this.#first + this.#hours - 1;
    if (hour <= last) return;
    const shift = hour - last;
    for (let h = last + 1; h <= hour && h - (last + 1) < this.#hours; h++) {
      const i = ((h % this.#hours) + this.#hours) % this.#hours;
      this.#sum[i] = 0;
      this.#count[i] = 0;
    }
    this.#first += shift;
  }

  /** Adds one sample (a good measurement at timeMs), or a whole hour's mean with its weight (seeding). */
  add(timeMs: number, value: number, weight = 1): void {
    if (!Number.isFinite(value) || !(weight > 0)) return;
    const hour = Math.floor(timeMs / HOUR_MS);
    this.#slide(hour);
    if (hour < this.#first) return;
    const i = ((hour % this.#hours) + this.#hours) % this.#hours;
    this.#sum[i] = this.#sum[i]! + value * weight;
    this.#count[i] = this.#count[i]! + weight;
  }

  /** Hourly means over the window up to the hour of nowMs (NaN where nothing was added). */
  series(nowMs: number): HourlySeries {
    this.#slide(Math.floor(nowMs / HOUR_MS));
    const values = new Float64Array(this.#hours);
    for (let k = 0; k < this.#hours; k++) {
      const i = (((this.#first + k) % this.#hours) + this.#hours) % this.#hours;
      values[k] = this.#count[i]! > 0 ? this.#sum[i]! / this.#count[i]! : Number.NaN;
    }
    return { startMs: this.#first * HOUR_MS, values };
  }
}

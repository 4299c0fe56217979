import { ageSample, assessSample, type RawSample, type TagHistory, type TagLimits } from "../quality.ts";
import type { Sample } from "../types.ts";

/** One configured measurement: its name in chaleur and its plausibility limits. */
export interface TagSpec extends TagLimits {
  measurement: string;
  /** "boolean": only a boolean is a valid value (read as 1/0); default "number". */
  kind?: "number" | "boolean";
}

interface Entry {
  spec: TagSpec;
  sample?: Sample;
  history?: TagHistory;
  /** Why the tag has no current value (connection down, node missing, never received); cleared by the next value. */
  commError?: { detail: string; sinceMs: number };
}

/**
 * The latest judged sample of every tag, shared by the OPC UA client and the in-memory fake so that both apply
 * exactly the same quality pipeline: assessSample when a value arrives, ageSample when the core reads.
 */
export class TagCache {
  readonly #entries = new Map<string, Entry>();

  constructor(tags: readonly TagSpec[], nowMs: number) {
    for (const spec of tags) {
      if (this.#entries.has(spec.measurement)) throw new Error(`measurement ${spec.measurement} is configured twice`);
      if (!(spec.min <= spec.max)) throw new Error(`measurement ${spec.measurement}: min ${spec.min} is above max ${spec.max}`);
      if (!(spec.maxAgeS > 0)) throw new Error(`measurement ${spec.measurement}: maxAgeS must be positive, got ${spec.maxAgeS}`);
      this.#entries.set(spec.measurement, { spec, commError: { detail: "no value yet", sinceMs: nowMs } });
    }
  }

  get measurements(): string[] {
    return [...this.#entries.keys()];
  }

  /** Judges a value that came off the wire; returns the judged sample (unaged). */
  ingest(measurement: string, raw: RawSample): Sample {
    const e = this.#entries.get(measurement);
    if (!e) throw new Error(`unknown measurement ${measurement}`);
    const { sample, history } = assessSample(e.spec, raw, e.history, e.spec.kind === "boolean");
    e.sample = sample;
    e.history = history;
    e.commError = undefined;
    return sample;
  }

  /** The tag has no current value: every read says comm_error until a new value arrives. */
  markCommError(measurement: string, detail: string, nowMs: number): void {
    const e = this.#entries.get(measurement);
    if (!e) throw new Error(`unknown measurement ${measurement}`);
    e.commError = { detail, sinceMs: nowMs };
  }

  markAllCommError(detail: string, nowMs: number): void {
    for (const m of this.#entries.keys()) this.markCommError(m, detail, nowMs);
  }

  /**
   * Every tag's sample, aged at nowMs. A tag without a current value reads as comm_error with NaN: the last value
   * it had is never passed off as current (its source time is kept, for the HMI to say since when).
   */
  snapshot(nowMs: number): Map<string, Sample> {
    const out = new Map<string, Sample>();
    for (const [m, e] of this.#entries) {
      if (e.commError) {
        out.set(m, { value: Number.NaN, quality: "comm_error", sourceMs: e.sample?.sourceMs ?? Number.NaN, receivedMs: e.commError.sinceMs, detail: e.commError.detail });
      } else {
        out.set(m, ageSample(e.spec, e.sample!, e.history, nowMs));
      }
    }
    return out;
  }
}

import type { Sample } from "./types.ts";

/** A tag's plausibility limits from the daemon config (DESIGN §4: range, maximum age, maximum rate of change). */
export interface TagLimits {
  min: number;
  max: number;
  maxAgeS: number;
  /** Largest plausible change per second between two good values (absent: not checked). */
  maxRatePerS?: number;
  /**
   * Whether a value unchanged for longer than maxAgeS is suspect (frozen). Only for noisy analog sensors
   * (temperatures, metered power): a price holds for an hour and a stopped unit's output sits at 0 for days.
   */
  detectFrozen?: boolean;
}

/** A value as it came off the wire, before any judgement. */
export interface RawSample {
  value: unknown;
  sourceMs: number;
  receivedMs: number;
  /** Whether the source's own status said good. */
  sourceGood: boolean;
  sourceDetail?: string;
}

/** What a tag remembers between samples, for the rate and frozen checks. */
export interface TagHistory {
  lastValue: number;
  /** Source time at which the value last changed. */
  lastChangeMs: number;
  lastGoodValue?: number;
  lastGoodMs?: number;
}

/** Source times further ahead of the receiver's clock than this are refused (ms). */
const FUTURE_TOLERANCE_MS = 5000;

function toNumber(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/**
 * Judges one received value. Checks in order of what they say about the source: its own status, the type, NaN,
 * the range, then the rate of change against the last good value (a jump is judged against what was believed,
 * so one spike does not make the next good value look like a jump back).
 */
export function assessSample(limits: TagLimits, raw: RawSample, prev: TagHistory | undefined, expectBoolean = false): { sample: Sample; history: TagHistory } {
  const base = { sourceMs: raw.sourceMs, receivedMs: raw.receivedMs };
  const num = expectBoolean && typeof raw.value !== "boolean" ? null : !expectBoolean && typeof raw.value === "boolean" ? null : toNumber(raw.value);
  const value = num ?? Number.NaN;
  const changed = prev === undefined || !(value === prev.lastValue || (Number.isNaN(value) && Number.isNaN(prev.lastValue)));
  const history: TagHistory = { ...prev, lastValue: value, lastChangeMs: changed ? raw.sourceMs : prev!.lastChangeMs };
  const bad = (quality: Sample["quality"], detail: string) => ({ sample: { ...base, value, quality, detail }, history });
  if (!raw.sourceGood) return bad("bad_source", raw.sourceDetail ?? "source status not good");
  // A source clock ahead of ours would make the value look fresh forever: never stale, never frozen.
  if (raw.sourceMs > raw.receivedMs + FUTURE_TOLERANCE_MS) return bad("bad_source", `source time ${((raw.sourceMs - raw.receivedMs) / 1000).toFixed(1)} s in the future`);
  if (num === null) return bad("bad_type", `expected ${expectBoolean ? "a boolean" : "a number"}, got ${raw.value === null ? "null" : typeof raw.value}`);
  if (!Number.isFinite(num)) return bad("bad_nan", `not a finite number (${num})`);
  if (num < limits.min || num > limits.max) return bad("bad_range", `${num} outside [${limits.min}, ${limits.max}]`);
  // A source clock that stepped back makes the last good value useless as a reference: start the rate check afresh.
  if (limits.maxRatePerS !== undefined && prev?.lastGoodValue !== undefined && prev.lastGoodMs !== undefined && raw.sourceMs > prev.lastGoodMs) {
    const dtS = (raw.sourceMs - prev.lastGoodMs) / 1000;
    const rate = Math.abs(num - prev.lastGoodValue) / dtS;
    if (rate > limits.maxRatePerS) return bad("bad_rate", `changed ${rate.toPrecision(3)}/s, more than ${limits.maxRatePerS}/s`);
  }
  history.lastGoodValue = num;
  history.lastGoodMs = raw.sourceMs;
  return { sample: { ...base, value: num, quality: "good" }, history };
}

/**
 * Ages a sample at read time: a good value whose source time is older than the tag's maximum age is stale; one
 * that has not changed for longer than that is frozen (a stuck sensor or gateway that keeps re-stamping it).
 */
export function ageSample(limits: TagLimits, sample: Sample, history: TagHistory | undefined, nowMs: number): Sample {
  if (sample.quality === "bad_rate") sample = rejudgeRate(limits, sample, history, nowMs);
  if (sample.quality !== "good") return sample;
  const maxAgeMs = limits.maxAgeS * 1000;
  if (nowMs - sample.sourceMs > maxAgeMs) return { ...sample, quality: "stale", detail: `source time ${((nowMs - sample.sourceMs) / 1000).toFixed(1)} s old, more than ${limits.maxAgeS} s` };
  if (limits.detectFrozen && history && nowMs - history.lastChangeMs > maxAgeMs) return { ...sample, quality: "frozen", detail: `unchanged for ${((nowMs - history.lastChangeMs) / 1000).toFixed(1)} s, more than ${limits.maxAgeS} s` };
  return sample;
}

/**
 * A value flagged as a jump stays the latest one while nothing new arrives (a server that notifies on change only):
 * once enough time has passed for the jump to fit the rate limit, it is a real step, not a spike, and is good.
 */
function rejudgeRate(limits: TagLimits, sample: Sample, history: TagHistory | undefined, nowMs: number): Sample {
  if (limits.maxRatePerS === undefined || history?.lastGoodValue === undefined || history.lastGoodMs === undefined) return sample;
  const dtS = (nowMs - history.lastGoodMs) / 1000;
  if (dtS <= 0 || Math.abs(sample.value - history.lastGoodValue) / dtS > limits.maxRatePerS) return sample;
  const { detail: _detail, ...rest } = sample;
  return { ...rest, quality: "good" };
}

import { describe, expect, it } from "vitest";
import { ageSample, assessSample, type RawSample, type TagHistory, type TagLimits } from "./quality.ts";

const lim: TagLimits = { min: 0, max: 100, maxAgeS: 30, maxRatePerS: 2, detectFrozen: true };
const raw = (value: unknown, sourceMs: number, sourceGood = true): RawSample => ({ value, sourceMs, receivedMs: sourceMs + 5, sourceGood });

/** Feeds values one after another, returning the qualities. */
function feed(values: [unknown, number][], limits = lim): string[] {
  let h: TagHistory | undefined;
  return values.map(([v, t]) => {
    const r = assessSample(limits, raw(v, t), h);
    h = r.history;
    return r.sample.quality;
  });
}

describe("measurement quality", () => {
  it("passes plausible values and flags each kind of bad one", () => {
    expect(feed([[20, 0], [21, 1000]])).toEqual(["good", "good"]);
    expect(assessSample(lim, raw(Number.NaN, 0), undefined).sample.quality).toBe("bad_nan");
    expect(assessSample(lim, raw(Number.POSITIVE_INFINITY, 0), undefined).sample.quality).toBe("bad_nan");
    expect(assessSample(lim, raw("20", 0), undefined).sample).toMatchObject({ quality: "bad_type", detail: "expected a number, got string" });
    expect(assessSample(lim, raw(true, 0), undefined).sample.quality).toBe("bad_type");
    expect(assessSample(lim, raw(null, 0), undefined).sample.quality).toBe("bad_type");
    expect(assessSample(lim, raw(101, 0), undefined).sample).toMatchObject({ quality: "bad_range", detail: "101 outside [0, 100]" });
    expect(assessSample(lim, raw(-0.5, 0), undefined).sample.quality).toBe("bad_range");
    expect(assessSample(lim, raw(50, 0, false), undefined).sample.quality).toBe("bad_source");
  });

  it("booleans are only good where a boolean is expected", () => {
    const b: TagLimits = { min: 0, max: 1, maxAgeS: 30 };
    expect(assessSample(b, raw(true, 0), undefined, true).sample).toMatchObject({ quality: "good", value: 1 });
    expect(assessSample(b, raw(1, 0), undefined, true).sample.quality).toBe("bad_type");
  });

  it("a jump faster than the tag's rate is flagged, judged against the last good value", () => {
    // 20 → 40 in 1 s is 20/s (limit 2/s); the next value 21 is fine against the last good 20.
    expect(feed([[20, 0], [40, 1000], [21, 2000]])).toEqual(["good", "bad_rate", "good"]);
  });

  it("ages samples at read time: stale source time, frozen value", () => {
    let h: TagHistory | undefined;
    let s = assessSample(lim, raw(20, 0), h);
    h = s.history;
    expect(ageSample(lim, s.sample, h, 29_000).quality).toBe("good");
    expect(ageSample(lim, s.sample, h, 31_000)).toMatchObject({ quality: "stale" });
    // A gateway re-stamping the same value every 10 s: fresh source time, but frozen after 30 s.
    for (let t = 10_000; t <= 40_000; t += 10_000) {
      s = assessSample(lim, raw(20, t), h);
      h = s.history;
    }
    expect(ageSample(lim, s.sample, h, 40_000)).toMatchObject({ quality: "frozen" });
    expect(ageSample({ ...lim, detectFrozen: false }, s.sample, h, 40_000).quality).toBe("good");
    s = assessSample(lim, raw(20.1, 41_000), h);
    expect(ageSample(lim, s.sample, s.history, 41_000).quality).toBe("good");
  });

  it("a bad sample stays bad when aged", () => {
    const s = assessSample(lim, raw(500, 0), undefined);
    expect(ageSample(lim, s.sample, s.history, 1).quality).toBe("bad_range");
  });
});

describe("measurement quality against clocks that misbehave", () => {
  it("a source time ahead of the receiver's clock is refused, not fresh forever", () => {
    const r = assessSample(lim, { value: 20, sourceMs: 3_600_000, receivedMs: 0, sourceGood: true }, undefined);
    expect(r.sample).toMatchObject({ quality: "bad_source", detail: "source time 3600.0 s in the future" });
    expect(assessSample(lim, { value: 20, sourceMs: 2000, receivedMs: 0, sourceGood: true }, undefined).sample.quality).toBe("good"); // within tolerance
  });

  it("a step flagged as a jump becomes good once it has lasted long enough to fit the rate limit", () => {
    let h: TagHistory | undefined;
    const a = assessSample(lim, raw(20, 0), h);
    h = a.history;
    const b = assessSample(lim, raw(40, 1000), h); // 20/s over 1 s: more than 2/s
    expect(b.sample.quality).toBe("bad_rate");
    expect(ageSample(lim, b.sample, b.history, 5000).quality).toBe("bad_rate"); // 20 K in 5 s: still too fast
    expect(ageSample(lim, b.sample, b.history, 11_000).quality).toBe("good"); // 20 K in 11 s: a real step
  });

  it("a source clock stepping back does not turn every value into a jump", () => {
    let h: TagHistory | undefined;
    for (const [v, t] of [[20, 100_000], [20.5, 101_000]] as const) h = assessSample(lim, raw(v, t), h).history;
    expect(assessSample(lim, raw(21, 40_000), h).sample.quality).toBe("good");
  });
});

import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadScenario } from "./scenario.ts";
import { loadModel } from "./plant-model.ts";
import { loadPlcMap } from "./plc-schema.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-bounds-"));
function scenario(extra: string, duration = "P1D"): string {
  const f = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, `name: s\nmodel: ${join(root, "models/paris-chapelle.yaml")}\nstart: 2026-01-01T00:00:00Z\nduration: ${duration}\n${extra}`);
  return f;
}
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message.replace(/^.*?\.yaml: /, "");
  }
  return "accepted";
}

describe("scenario bounds: what would grow past the machine is refused with the limit", () => {
  it("durations: years and months, zero, beyond two years, malformed", () => {
    expect(messageOf(() => loadScenario(scenario("", "P100Y")))).toBe("duration: expected a duration in weeks, days, hours, minutes or seconds, e.g. P365D (years and months are not supported: their length varies; got 'P100Y')");
    expect(messageOf(() => loadScenario(scenario("", "P1M")))).toMatch(/years and months are not supported/);
    expect(messageOf(() => loadScenario(scenario("", "P0D")))).toBe("duration: expected a positive duration (got 'P0D')");
    expect(messageOf(() => loadScenario(scenario("", "P36500D")))).toBe("duration: expected a duration of at most 731 days (2 years) (got 'P36500D')");
    expect(messageOf(() => loadScenario(scenario("", "seven days")))).toBe("duration: expected an ISO 8601 duration, e.g. P7D or PT6H (got 'seven days')");
    expect(messageOf(() => loadScenario(scenario("", "P730D")))).toBe("accepted");
  });

  it("horizons, plan steps and physics steps", () => {
    expect(messageOf(() => loadScenario(scenario("control: { horizon_h: 876000 }\n")))).toBe("control.horizon_h: expected a number ≤ 168");
    expect(messageOf(() => loadScenario(scenario("control: { horizon_h: 168, step_min: 1, period_min: 1 }\n")))).toBe(
      "control: expected at most 1000 plan steps over the horizon (got 10080: raise step_min or use coarse_after_h/coarse_step_min)",
    );
    expect(messageOf(() => loadScenario(scenario("control: { horizon_h: 168, step_min: 15, coarse_after_h: 4, coarse_step_min: 60 }\n")))).toBe("accepted");
    expect(messageOf(() => loadScenario(scenario("control: { horizon_h: 1, period_min: 120 }\n")))).toBe("control.period_min: expected at most the horizon (1 h) (got 120 min)");
    expect(messageOf(() => loadScenario(scenario("physics_step_s: 1\n", "P20D")))).toBe("duration: expected at most 1,100,000 physics steps (got 1,728,000 steps of 1 s)");
  });

  it("a file of another kind is named as such, not reported as a misspelt field", () => {
    expect(messageOf(() => loadScenario(join(root, "models/paris-chapelle.yaml")))).toBe("(top level): expected a scenario (with model, start, duration) (this file is a plant model)");
    expect(messageOf(() => loadModel(join(root, "simulations/paris-winter-week.yaml")))).toBe("(top level): expected a plant model (with facility_water, heat_pumps, …) (this file is a scenario)");
    expect(messageOf(() => loadPlcMap(join(root, "config/chaleur-demo.yaml")))).toBe("(top level): expected a PLC register map (with plc, unit_id, registers) (this file is a daemon config)");
  });
});

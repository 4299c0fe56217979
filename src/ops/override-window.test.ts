import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import { dumpCapacityKw, itHeatMaxKw } from "../model/plant-model.ts";
import { draftOverride, OverrideRefusal, type Override, type OverrideRequest } from "./overrides.ts";
import { coolingCheck } from "./cooling-check.ts";
import { extendToCover } from "./override-window.ts";
import { guardOverrides, setAsideRank } from "./override-guard.ts";
import { flatForecast } from "../optimizer/flat-forecast-fixture.ts";

/** Cooling first over an override's whole window, chained spans, and the re-check of accepted overrides (issue 18). */
const m = loadModel("models/paris-chapelle.yaml");
const T0 = Date.UTC(2026, 0, 13, 10);
const H = 3600_000;
const operator = { username: "olga", role: "operator" as const };
const engineer = { username: "eric", role: "engineer" as const };

const forecast = (over: Partial<PlanForecast> = {}, n = 96): PlanForecast => flatForecast(m, T0, n, { outdoorTempC: 4 }, over);
let nextId = 1;
function make(req: Partial<OverrideRequest>, existing: Override[] = [], who: { username: string; role: "operator" | "engineer" } = engineer): Override {
  const d = draftOverride(m, { target: "hp1", kind: "off", expiryMs: T0 + H, reason: "compressor inspection", ...req }, who, T0, existing);
  return { ...d, id: nextId++, clearedMs: null, clearedBy: null, clearReason: null };
}
function refusal(f: () => unknown): OverrideRefusal {
  try {
    f();
  } catch (e) {
    if (e instanceof OverrideRefusal) return e;
    throw e;
  }
  throw new Error("not refused");
}
const winter = forecast();
const check = (f: PlanForecast, all: Override[], proposed: Override, designFromStep?: number) =>
  coolingCheck({ model: m, forecast: f, storageEnergyKwh: 2500, ghTempC: 19, overrides: all, proposed, ...(designFromStep !== undefined ? { designFromStep } : {}) });

describe("an override beyond the forecast", () => {
  it("is checked at the design outdoor temperature: the four overrides that passed unchecked 25 h ahead are refused at the step", () => {
    const at = { startMs: T0 + 25 * H, expiryMs: T0 + 35 * H };
    const all: Override[] = [];
    for (const r of [{ target: "hp1", kind: "off" as const }, { target: "hp2", kind: "off" as const }, { target: "dry_coolers", kind: "limit" as const, value: 0 }]) {
      const o = make({ ...r, ...at }, all);
      const ext = extendToCover(m, winter, o.expiryMs);
      expect(check(ext.forecast, [...all, o], o, ext.designFromStep).ok).toBe(true);
      all.push(o);
    }
    const chiller = make({ target: "chiller", kind: "limit", value: 0, ...at }, all);
    const ext = extendToCover(m, winter, chiller.expiryMs);
    // The forecast (24 h) ends before the override starts: without the extension there is nothing to check.
    expect(check(winter, [...all, chiller], chiller).ok).toBe(true);
    const v = check(ext.forecast, [...all, chiller], chiller, ext.designFromStep);
    expect(v.ok).toBe(false);
    expect(v.failedStep!.startMs).toBe(at.startMs);
    expect(v.reason).toMatch(/^cooling first: at 14 Jan, 12:00 \(beyond the forecast: at the 42 °C cooling design temperature\) the servers give \d+ kW; with chiller at most 0 kW the plant could take at most \d+ kW/);
  });

  it("extends the forecast with the servers at the top of their band, the design temperature and the network's summer floor", () => {
    const ext = extendToCover(m, winter, T0 + 30 * H + 30 * 60_000);
    expect(ext.designFromStep).toBe(96);
    expect(ext.forecast.n).toBe(96 + 7);
    expect(ext.forecast.stepsS.slice(96)).toEqual([3600, 3600, 3600, 3600, 3600, 3600, 1800]);
    expect(ext.forecast.itHeatKw[100]).toBeCloseTo(itHeatMaxKw(m), 9);
    expect(ext.forecast.outdoorTempC[100]).toBe(m.coolingDesignOutdoorC);
    // No space heating at 42 °C: hot water only, within its hour-of-week factors.
    const hotWater = m.network.hotWaterKw;
    for (const kw of ext.forecast.dhDemandKw.slice(96)) expect(kw).toBeLessThan(hotWater * 1.6);
    expect(extendToCover(m, winter, T0 + H).forecast).toBe(winter);
  });

  it("a dry-cooler limit far ahead passes where the chiller alone can carry the servers at design conditions", () => {
    expect(dumpCapacityKw(m, m.coolingDesignOutdoorC)).toBe(0);
    const dc = make({ target: "dry_coolers", kind: "limit", value: 0, startMs: T0 + 40 * H, expiryMs: T0 + 50 * H });
    const ext = extendToCover(m, winter, dc.expiryMs);
    expect(check(ext.forecast, [dc], dc, ext.designFromStep).ok).toBe(true);
  });
});

describe("a short override", () => {
  const heatwave = forecast({ outdoorTempC: Array.from({ length: 96 }, () => 31), dhDemandKw: Array.from({ length: 96 }, () => 150) });
  it("binds every step it touches: 10 minutes of chiller out across two steps on a heatwave are refused", () => {
    // 10:10–10:20 covers a third of 10:00–10:15 and of 10:15–10:30: no step fully, none by half.
    const o = make({ target: "chiller", kind: "limit", value: 0, startMs: T0 + 10 * 60_000, expiryMs: T0 + 20 * 60_000 });
    const v = coolingCheck({ model: m, forecast: heatwave, storageEnergyKwh: 4900, ghTempC: 24, overrides: [o], proposed: o });
    expect(v.ok).toBe(false);
    expect(v.failedStep!.index).toBeLessThanOrEqual(1);
    expect(v.reason).toMatch(/^cooling first: at 13 Jan, 11:(00|15) the servers give 900 kW; with chiller at most 0 kW/);
  });
});

describe("the operator's 24 h limit", () => {
  it("holds for the continuous span on one target: back-to-back 24 h overrides are refused from the second on", () => {
    const first = make({ target: "gh_boost", kind: "limit", value: 50, expiryMs: T0 + 24 * H }, [], operator);
    const e = refusal(() => make({ target: "gh_boost", kind: "limit", value: 50, startMs: T0 + 24 * H, expiryMs: T0 + 48 * H }, [first], operator));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(new RegExp(`^expiry: with #${first.id} greenhouse boost heat would be overridden from .* to .* with no break of 1 h \\(48\\.0 h\\): a operator may override one target for at most 24 h in a row`));
    // A gap under an hour is no break; a longer one is.
    expect(refusal(() => make({ target: "gh_boost", kind: "limit", value: 50, startMs: T0 + 24.5 * H, expiryMs: T0 + 30 * H }, [first], operator)).status).toBe(400);
    expect(make({ target: "gh_boost", kind: "limit", value: 50, startMs: T0 + 25 * H, expiryMs: T0 + 30 * H }, [first], operator).target).toBe("gh_boost");
    // Whoever set the parts: an engineer's 20 h then an operator's 6 h is 26 h for the operator.
    const eng = make({ target: "hp2", kind: "off", expiryMs: T0 + 20 * H }, [], engineer);
    expect(refusal(() => make({ target: "hp2", kind: "off", startMs: T0 + 20 * H, expiryMs: T0 + 26 * H }, [eng], operator)).message).toMatch(/26\.0 h/);
    expect(make({ target: "hp2", kind: "off", startMs: T0 + 20 * H, expiryMs: T0 + 26 * H }, [eng], engineer).target).toBe("hp2");
  });
});

describe("overrides re-checked on a new forecast", () => {
  const heatwave = forecast({ outdoorTempC: Array.from({ length: 96 }, () => 38), dhDemandKw: Array.from({ length: 96 }, () => 400) });
  it("safe together: all kept", () => {
    const all = [make({ target: "chiller", kind: "limit", value: 0, expiryMs: T0 + 6 * H }), make({ target: "hp2", kind: "lockout", expiryMs: T0 + 6 * H })];
    const g = guardOverrides({ model: m, forecast: winter, storageEnergyKwh: 2500, ghTempC: 19, overrides: all });
    expect(g).toMatchObject({ kept: all, setAside: [], unsafe: null, coolable: true });
  });
  it("a heatwave makes them unsafe: the limit is set aside before the lock-out, with the step and the reason", () => {
    const chiller = make({ target: "chiller", kind: "limit", value: 0, startMs: T0 + 2 * H, expiryMs: T0 + 6 * H });
    const lockout = make({ target: "hp2", kind: "lockout", expiryMs: T0 + 6 * H });
    const later = make({ target: "gh_boost", kind: "limit", value: 0, startMs: T0 + 10 * H, expiryMs: T0 + 12 * H });
    const g = guardOverrides({ model: m, forecast: heatwave, storageEnergyKwh: 2500, ghTempC: 24, overrides: [lockout, chiller, later] });
    expect(g.unsafe!.ids.sort()).toEqual([chiller.id, lockout.id].sort());
    expect(g.unsafe!.stepMs).toBe(T0 + 2 * H);
    expect(g.setAside.map((s) => s.override)).toEqual([chiller]);
    expect(g.setAside[0]!.why).toMatch(/^cooling needs it at 13 Jan, 13:00: cooling first: .* the plant could take at most/);
    expect(g.kept).toEqual([lockout, later]);
    expect(g.coolable).toBe(true);
  });
  it("sets aside the lock-out too when the limits alone are not enough, and says when even that cannot cool", () => {
    const chiller = make({ target: "chiller", kind: "limit", value: 0, expiryMs: T0 + 6 * H });
    const hp1 = make({ target: "hp1", kind: "lockout", expiryMs: T0 + 6 * H });
    const hp2 = make({ target: "hp2", kind: "off", expiryMs: T0 + 6 * H });
    const g = guardOverrides({ model: m, forecast: heatwave, storageEnergyKwh: 2500, ghTempC: 24, overrides: [hp1, hp2, chiller] });
    expect(g.setAside.map((s) => s.override.id)).toEqual([chiller.id]);
    // Servers far above what anything can take: everything goes, and the plant is not coolable.
    const tooHot = forecast({ itHeatKw: Array.from({ length: 96 }, () => 5000), outdoorTempC: Array.from({ length: 96 }, () => 38), dhDemandKw: Array.from({ length: 96 }, () => 0) });
    const h = guardOverrides({ model: m, forecast: tooHot, storageEnergyKwh: 2500, ghTempC: 24, overrides: [hp1, hp2, chiller] });
    expect(h.setAside.map((s) => s.override.id)).toEqual([chiller.id, hp2.id, hp1.id]);
    expect(h.kept).toEqual([]);
    expect(h.coolable).toBe(false);
  });
  it("ranks limits on the cooling paths first and lock-outs last", () => {
    const order = (["lockout", "fixed", "setpoint", "off", "limit"] as const).map((kind) => ({ target: kind === "limit" ? "chiller" : kind === "setpoint" ? "dh_sold" : "hp1", kind }));
    expect(order.sort((a, z) => setAsideRank(a) - setAsideRank(z)).map((o) => o.kind)).toEqual(["limit", "off", "setpoint", "fixed", "lockout"]);
  });
});

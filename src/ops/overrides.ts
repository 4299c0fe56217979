import type { PlantModel } from "../model/plant-model.ts";
import { dumpCapacityKw, ghDirectKwPerK } from "../model/plant-model.ts";
import { maxOverrideMs, type Role } from "./roles.ts";

/**
 * Operators' overrides (DESIGN §8): a constraint the optimizer plans around, not a write around it. Pure: the
 * catalogue of what can be overridden (from the model), the checks of a request, and which are in force when.
 */
export type OverrideKind = "off" | "lockout" | "fixed" | "setpoint" | "limit";

export interface Override {
  id: number;
  target: string;
  kind: OverrideKind;
  /** kW for fixed, setpoint and limit; null for off and lockout. */
  value: number | null;
  startMs: number;
  expiryMs: number;
  reason: string;
  author: string;
  createdMs: number;
  clearedMs: number | null;
  clearedBy: string | null;
  clearReason: string | null;
}

export type OverrideStatus = "scheduled" | "active" | "expired" | "cleared";

export interface KindSpec {
  kind: OverrideKind;
  /** What it does, for the HMI and the CLI. */
  label: string;
  unit: "kW" | null;
  min: number;
  max: number;
  /** Where the limits come from (named in a refusal). */
  field: string;
}

export interface OverrideTarget {
  target: string;
  label: string;
  kinds: KindSpec[];
}

/** An override the request would make, before it has an id. */
export type OverrideDraft = Omit<Override, "id" | "clearedMs" | "clearedBy" | "clearReason">;

/** A request refused: an HTTP status and one line saying why. */
export class OverrideRefusal extends Error {
  readonly status: 400 | 403 | 404 | 409 | 422 | 429;
  constructor(status: 400 | 403 | 404 | 409 | 422 | 429, message: string) {
    super(message);
    this.name = "OverrideRefusal";
    this.status = status;
  }
}

/** How far in the past a start may lie (clocks of a browser and the plant differ a little). */
const START_SLACK_MS = 60_000;

/** What the model lets operators override, each kind with its engineering limits. */
export function overrideTargets(m: PlantModel): OverrideTarget[] {
  const kw = (kind: OverrideKind, label: string, max: number, field: string, min = 0): KindSpec => ({ kind, label, unit: "kW", min, max: round1(max), field });
  const out: OverrideTarget[] = m.heatPumps.map((h, i) => ({
    target: h.id,
    label: `heat pump ${h.id}`,
    kinds: [
      { kind: "off", label: "force off", unit: null, min: 0, max: 0, field: "" },
      { kind: "lockout", label: "maintenance lock-out", unit: null, min: 0, max: 0, field: "" },
      kw("fixed", "fixed output", h.heatMaxKw, `heat_pumps[${i}].heat_min_kw…heat_max_kw`, h.heatMinKw),
    ],
  }));
  const contract = m.network.contractMaxKw;
  out.push({ target: "dh_sold", label: "heat to the network", kinds: [kw("setpoint", "setpoint", contract, "network.contract_max_kw"), kw("limit", "at most", contract, "network.contract_max_kw")] });
  if (m.greenhouse) {
    const g = m.greenhouse;
    out.push({ target: "gh_boost", label: "greenhouse boost heat", kinds: [kw("setpoint", "setpoint", g.boostMaxKw, "greenhouse.boost_max_kw"), kw("limit", "at most", g.boostMaxKw, "greenhouse.boost_max_kw")] });
    const directMaxKw = ghDirectKwPerK(m) * Math.max(0, m.facilityWater.returnTempC - g.directHx.emitterOffsetK);
    out.push({ target: "gh_direct", label: "greenhouse direct heat", kinds: [kw("limit", "at most", directMaxKw, "greenhouse.direct_hx")] });
  }
  // The dry coolers' best: a cold winter night. A limit says part of them is out of service.
  out.push({ target: "dry_coolers", label: "dry coolers", kinds: [kw("limit", "at most", dumpCapacityKw(m, -10), "dry_coolers (capacity at −10 °C)")] });
  out.push({ target: "chiller", label: "backup chiller", kinds: [kw("limit", "at most (0: out of service)", m.chiller.ratedKw, "chiller.rated_kw")] });
  return out;
}

export function overrideStatus(o: Override, nowMs: number): OverrideStatus {
  if (o.clearedMs !== null && o.clearedMs <= nowMs) return "cleared";
  if (nowMs >= o.expiryMs) return "expired";
  return nowMs < o.startMs ? "scheduled" : "active";
}

/** Overrides in force at `nowMs`. */
export function activeAt(overrides: readonly Override[], nowMs: number): Override[] {
  return overrides.filter((o) => overrideStatus(o, nowMs) === "active");
}

/** Overrides not yet over (active or scheduled). */
export function pending(overrides: readonly Override[], nowMs: number): Override[] {
  return overrides.filter((o) => {
    const s = overrideStatus(o, nowMs);
    return s === "active" || s === "scheduled";
  });
}

export interface OverrideRequest {
  target: string;
  kind: OverrideKind;
  value?: number | null | undefined;
  startMs?: number | undefined;
  expiryMs: number;
  reason: string;
}

/**
 * Checks a request against the catalogue, the role's time limit and the overrides already pending, and gives the
 * override it would make. Values outside the engineering limits are refused (naming them), not silently clamped:
 * an operator must know what the plant will do. Cooling first is checked separately (cooling-check.ts), as it
 * needs the forecast.
 */
export function draftOverride(m: PlantModel, req: OverrideRequest, who: { username: string; role: Role }, nowMs: number, existing: readonly Override[]): OverrideDraft {
  const targets = overrideTargets(m);
  const t = targets.find((x) => x.target === req.target);
  if (!t) throw new OverrideRefusal(400, `target: expected one of ${targets.map((x) => x.target).join(", ")} (got '${req.target}')`);
  const spec = t.kinds.find((k) => k.kind === req.kind);
  if (!spec) throw new OverrideRefusal(400, `kind: ${t.label} takes ${t.kinds.map((k) => k.kind).join(", ")} (got '${req.kind}')`);
  let value: number | null = null;
  if (spec.unit) {
    const v = req.value;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new OverrideRefusal(400, `value: ${t.label} ${spec.label} needs a value in kW (${spec.min}–${spec.max})`);
    if (v < spec.min - 1e-9 || v > spec.max + 1e-9) throw new OverrideRefusal(400, `value: ${t.label} ${spec.label}: expected ${spec.min}–${spec.max} kW (${spec.field}), got ${v}`);
    value = v;
  } else if (req.value !== undefined && req.value !== null) throw new OverrideRefusal(400, `value: ${t.label} ${spec.label} takes no value`);
  const reason = req.reason.trim();
  if (reason.length < 3) throw new OverrideRefusal(400, "reason: required (a few words: why, who asked)");
  const startMs = req.startMs ?? nowMs;
  if (startMs < nowMs - START_SLACK_MS) throw new OverrideRefusal(400, `start: ${iso(startMs)} is in the past (plant time is ${iso(nowMs)})`);
  if (!(req.expiryMs > nowMs)) throw new OverrideRefusal(400, `expiry: ${iso(req.expiryMs)} is in the past (plant time is ${iso(nowMs)})`);
  if (!(req.expiryMs > startMs)) throw new OverrideRefusal(400, `expiry: ${iso(req.expiryMs)} is not after the start ${iso(startMs)}`);
  const maxMs = maxOverrideMs(who.role);
  if (req.expiryMs - Math.max(startMs, nowMs) > maxMs) throw new OverrideRefusal(400, `expiry: a ${who.role} may override for at most ${maxMs / 3600_000} h (asked ${((req.expiryMs - Math.max(startMs, nowMs)) / 3600_000).toFixed(1)} h)`);
  if (startMs - nowMs > 7 * 24 * 3600_000) throw new OverrideRefusal(400, "start: at most 7 days ahead");
  // One override per target at a time: two would leave the plant's behaviour to their order.
  const clash = pending(existing, nowMs).find((o) => o.target === req.target && o.startMs < req.expiryMs && startMs < o.expiryMs);
  if (clash) throw new OverrideRefusal(409, `${t.label} already has override #${clash.id} (${describeOverride(clash)}) until ${iso(clash.expiryMs)}: clear it first`);
  // The role's limit holds for the continuous span on one target, whoever set its parts: three back-to-back 24 h
  // overrides are one 72 h override.
  const chain = chainedWith(pending(existing, nowMs).filter((o) => o.target === req.target), startMs, req.expiryMs);
  if (chain.parts.length) {
    const spanMs = chain.endMs - Math.max(chain.startMs, nowMs);
    if (spanMs > maxMs) throw new OverrideRefusal(400, `expiry: with ${chain.parts.map((o) => `#${o.id}`).join(", ")} ${t.label} would be overridden from ${iso(Math.max(chain.startMs, nowMs))} to ${iso(chain.endMs)} with no break of ${CHAIN_GAP_MS / 3600_000} h (${(spanMs / 3600_000).toFixed(1)} h): a ${who.role} may override one target for at most ${maxMs / 3600_000} h in a row`);
  }
  return { target: req.target, kind: req.kind, value, startMs, expiryMs: req.expiryMs, reason, author: who.username, createdMs: nowMs };
}

/** A break shorter than this between two overrides of one target does not end the span: the plant never had it back. */
export const CHAIN_GAP_MS = 3600_000;

/** The overrides (of one target) that touch [startMs, endMs) with gaps under CHAIN_GAP_MS, transitively, and the span they make. */
export function chainedWith(sameTarget: readonly Override[], startMs: number, endMs: number): { startMs: number; endMs: number; parts: Override[] } {
  const parts: Override[] = [];
  let lo = startMs;
  let hi = endMs;
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of sameTarget) {
      if (parts.includes(o)) continue;
      const end = Math.min(o.expiryMs, o.clearedMs ?? Infinity);
      if (o.startMs < hi + CHAIN_GAP_MS && end > lo - CHAIN_GAP_MS) {
        parts.push(o);
        lo = Math.min(lo, o.startMs);
        hi = Math.max(hi, end);
        grew = true;
      }
    }
  }
  return { startMs: lo, endMs: hi, parts: parts.sort((a, z) => a.startMs - z.startMs) };
}

/** "hp1 fixed 400 kW", "chiller at most 0 kW", "hp2 maintenance lock-out". */
export function describeOverride(o: Pick<Override, "target" | "kind" | "value">): string {
  const what = o.kind === "off" ? "forced off" : o.kind === "lockout" ? "maintenance lock-out" : o.kind === "limit" ? `at most ${o.value} kW` : `${o.kind} ${o.value} kW`;
  return `${o.target} ${what}`;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16) + "Z" : String(ms);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

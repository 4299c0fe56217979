import type { DaemonStatus } from "../daemon/cycle.ts";
import type { PlanStore } from "../control/plan-store.ts";
import type { Sample } from "../io/types.ts";
import type { Override } from "../ops/overrides.ts";
import { overrideStatus } from "../ops/overrides.ts";
import type { Alarm } from "../ops/alarms.ts";
import type { AuditEntry } from "../store/ops-store.ts";
import { csvCell } from "../report/csv-cell.ts";

export { csvCell };

/** The API's JSON bodies (docs/api.md): snake_case, ISO times, units in names, rounded for people. */
const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
const r2 = (x: number) => Math.round(x * 100) / 100;

export interface StateExtras {
  overridesActive: number;
  alarms: { active: number; unacked: number };
}

export function stateBody(s: DaemonStatus, samples: ReadonlyMap<string, Sample>, x: StateExtras) {
  return {
    plant_time: iso(s.plantTimeMs),
    mode: s.mode,
    mode_cause: s.modeCause,
    cycles: s.cycles,
    last_cycle_ms: s.lastCycleMs === null ? null : r2(s.lastCycleMs),
    plan_age_s: s.planAgeS,
    plan_in_flight: s.planInFlight,
    connections: { opcua: s.opcua, plcs: s.plcs },
    measurements: [...samples].map(([tag, v]) => ({
      tag,
      value: Number.isFinite(v.value) ? r2(v.value) : null,
      quality: v.quality,
      age_s: Math.max(0, Math.round((s.plantTimeMs - v.sourceMs) / 1000)),
      ...(v.detail ? { detail: v.detail } : {}),
    })),
    written: s.written,
    overrides_applied: s.overridesApplied,
    overrides_active: x.overridesActive,
    alarms_active: x.alarms.active,
    alarms_unacked: x.alarms.unacked,
  };
}

export function planBody(p: PlanStore, nowMs: number) {
  if (!p.plan) return null;
  return {
    made_at: iso(p.madeAtMs),
    age_s: Math.round((nowMs - p.madeAtMs) / 1000),
    trigger: p.trigger,
    solver: p.solver,
    solve_ms: p.solveMs === null ? null : Math.round(p.solveMs),
    gap_pct: p.gapPct,
    objective_eur: r2(p.plan.objectiveEur),
    overrides: p.overrideIds,
    steps: p.plan.steps.map((s) => ({
      time: iso(s.timeMs),
      duration_s: s.durationS,
      hps: s.hps.map((h) => ({ id: h.id, on: h.on, heat_kw: r2(h.heatKw), elec_kw: r2(h.elecKw), cop: r2(h.cop) })),
      dh_sold_kw: r2(s.dhSoldKw),
      gh_direct_kw: r2(s.ghDirectKw),
      gh_boost_kw: r2(s.ghBoostKw),
      gh_temp_c: s.ghTempC === null ? null : r2(s.ghTempC),
      storage_charge_kw: r2(s.storageChargeKw),
      storage_discharge_kw: r2(s.storageDischargeKw),
      storage_energy_kwh: r2(s.storageEnergyKwh),
      dump_kw: r2(s.dumpKw),
      chiller_kw: r2(s.chillerKw),
      ...(s.coolingShortfallKw !== undefined ? { cooling_shortfall_kw: r2(s.coolingShortfallKw) } : {}),
      it_heat_kw: r2(s.itHeatKw),
      price_el_eur_mwh: r2(s.priceElEurPerMwh),
    })),
  };
}

export function overrideBody(o: Override, nowMs: number) {
  return {
    id: o.id,
    target: o.target,
    kind: o.kind,
    value: o.value,
    start: iso(o.startMs),
    expiry: iso(o.expiryMs),
    reason: o.reason,
    author: o.author,
    created: iso(o.createdMs),
    cleared: iso(o.clearedMs),
    cleared_by: o.clearedBy,
    clear_reason: o.clearReason,
    status: overrideStatus(o, nowMs),
  };
}

export function alarmBody(a: Alarm) {
  return {
    id: a.id,
    code: a.code,
    source: a.source,
    priority: a.priority,
    state: a.state,
    active: a.active,
    message: a.message,
    action: a.action,
    raised: iso(a.raisedMs),
    cleared: iso(a.clearedMs),
    acked: iso(a.ackedMs),
    acked_by: a.ackedBy,
    shelved_until: iso(a.shelvedUntilMs),
    shelved_by: a.shelvedBy,
    shelve_reason: a.shelveReason,
  };
}

export function auditBody(e: AuditEntry) {
  return { id: e.id, time: iso(e.timeMs), actor: e.actor, action: e.action, target: e.target, old_value: e.oldValue, new_value: e.newValue, reason: e.reason };
}

const AUDIT_COLUMNS = ["id", "time", "actor", "action", "target", "old_value", "new_value", "reason"] as const;

export const AUDIT_CSV_HEADER = `${AUDIT_COLUMNS.join(",")}\n`;

/** Entries as CSV lines, each ending with a newline (no header). */
export function auditCsvLines(entries: readonly AuditEntry[]): string {
  let out = "";
  for (const e of entries) {
    const b = auditBody(e);
    out += `${AUDIT_COLUMNS.map((k) => csvCell(b[k])).join(",")}\n`;
  }
  return out;
}

/** The audit log as an RFC 4180 CSV file, every cell neutralised for spreadsheets (csvCell). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return AUDIT_CSV_HEADER + auditCsvLines(entries);
}

import { Subject } from "rxjs";
import type { Logger } from "pino";
import type { PlantModel } from "../model/plant-model.ts";
import type { PlanBounds, PlanForecast, PlanState } from "../optimizer/plan-types.ts";
import { observationState } from "../control/planner.ts";
import { overrideBounds } from "../ops/override-bounds.ts";
import { plantForecast } from "../forecast/plant-forecast.ts";
import type { Observation } from "../control/types.ts";
import type { Sample } from "../io/types.ts";
import type { OpsStore, AuditEntry } from "../store/ops-store.ts";
import { comfortMaxC, comfortMinC } from "../config/comfort.ts";
import { activeAt, describeOverride, draftOverride, OverrideRefusal, overrideStatus, overrideTargets, pending, type Override, type OverrideRequest } from "../ops/overrides.ts";
import { coolingCheck, parisTime } from "../ops/cooling-check.ts";
import { extendToCover } from "../ops/override-window.ts";
import { listOverrides } from "../ops/override-guard.ts";
import { ackAlarm, alarmConditions, shelveAlarm, stepAlarms, unshelveAlarm, type Alarm, type AlarmConditionsInput } from "../ops/alarms.ts";
import { atLeast, type Role } from "../ops/roles.ts";
import type { DaemonStatus, OverrideSource } from "./cycle.ts";
import type { OverrideReport } from "./plan-overrides.ts";

/**
 * The operators' side of the running daemon: overrides (checked, stored, handed to the cycle), alarms (stepped
 * after each cycle), and the audit log. Everything a person does goes through here, so everything is audited in
 * one place. Times are plant time (the daemon's clock); the audit log is in the same clock as the history.
 */
export type OpsEvent =
  | { type: "override"; data: { action: "created" | "cleared" | "expired"; override: Override } }
  | { type: "alarm"; data: Alarm }
  | { type: "audit"; data: AuditEntry };

export interface Actor {
  username: string;
  role: Role;
}

export interface OperationsDeps {
  model: PlantModel;
  store: OpsStore;
  nowMs: () => number;
  log: Logger;
  /** Tags whose bad quality is a medium alarm rather than a low one. */
  criticalTags: readonly string[];
  /** The plan's grid (s per step): the forecast made from the observation, when there is no plan yet, uses it. */
  grid: readonly number[];
  /**
   * Whether any plan exists with these bounds: the optimizer's LP relaxation (no relaxed plan ⇒ no plan at all).
   * Without it, the cooling-first check alone decides.
   */
  checkPlan?: (f: PlanForecast, s: PlanState, bounds: PlanBounds) => Promise<"feasible" | "infeasible" | "unknown">;
}

/** What the cooling-first check needs of the daemon now. */
export interface PlantView {
  forecast: PlanForecast | null;
  observation: Observation | null;
}

export class Operations implements OverrideSource {
  readonly events$ = new Subject<OpsEvent>();
  /** Changes with every override, alarm or audit event (what the API's cached answers depend on). */
  version = 0;
  readonly #d: OperationsDeps;
  /** Overrides not cleared whose expiry had not passed when last looked at (the cycle filters by time). */
  #overrides: Override[];
  #alarms: Alarm[];
  #nextAlarmId: number;
  #mode: string | null = null;
  /** The last plan's re-check of the overrides (null: none made yet), and the ids already audited as set aside. */
  #guard: OverrideReport | null = null;
  #setAsideAudited = new Set<number>();
  /** Override requests are checked one at a time, each against those accepted before it. */
  #creating: Promise<unknown> = Promise.resolve();
  #modeSinceMs: number;

  constructor(d: OperationsDeps) {
    this.#d = d;
    this.events$.subscribe(() => this.version++);
    const now = d.nowMs();
    this.#overrides = d.store.overridesSince(now);
    this.#alarms = d.store.openAlarms();
    this.#nextAlarmId = d.store.maxAlarmId() + 1;
    this.#modeSinceMs = now;
    // Overrides that ended while no daemon ran are audited now, once.
    for (const o of d.store.overridesExpiredUnaudited(now)) this.audit({ actor: "chaleur", action: "override.expire", target: o.target, oldValue: `#${o.id} ${describeOverride(o)}`, newValue: null, reason: `expired at ${iso(o.expiryMs)}, while chaleur was stopped` });
  }

  pending(nowMs: number): readonly Override[] {
    return pending(this.#overrides, nowMs);
  }

  targets() {
    return overrideTargets(this.#d.model);
  }

  /** Overrides not over (all = false), or the recent ones of every status, newest first. */
  overrides(all: boolean): Override[] {
    const now = this.#d.nowMs();
    return all ? this.#d.store.overrides() : pending(this.#overrides, now).slice().reverse();
  }

  activeCount(nowMs: number): number {
    return activeAt(this.#overrides, nowMs).length;
  }

  /**
   * Checks, refuses (OverrideRefusal) or stores and audits an override; the next cycle plans around it. Cooling
   * first is judged on the forecast of the plan in force (or, before any plan, on the plant as observed now with
   * the model's profiles): the optimizer's relaxation decides whether any plan is left, the capacity check names the step
   * and the figures. Beyond the forecast's end, each later plan is made around the override (a plan it makes
   * impossible fails, and the ladder and the solver alarm say so).
   */
  createOverride(who: Actor, req: OverrideRequest, view: PlantView): Promise<Override> {
    const run = this.#creating.then(() => this.#create(who, req, view));
    this.#creating = run.catch(() => undefined);
    return run;
  }

  async #create(who: Actor, req: OverrideRequest, view: PlantView): Promise<Override> {
    const now = this.#d.nowMs();
    const draft = draftOverride(this.#d.model, req, who, now, this.#overrides);
    const candidate: Override = { ...draft, id: -1, clearedMs: null, clearedBy: null, clearReason: null };
    const obs = view.observation;
    if (!obs) throw new OverrideRefusal(409, "chaleur has no view of the plant now (see the mode), so it cannot check that cooling comes first; use the PLC's own panel, or try again once measurements come in");
    // Before any plan: the plant as observed now, over the model's profiles (what the daemon plans on without arrays).
    const known = (view.forecast ? forecastFrom(view.forecast, now) : null) ?? plantForecast(this.#d.model, obs, this.#d.grid, null).forecast;
    // The whole window, whenever it starts: beyond the forecast, at the model's design conditions.
    const { forecast: f, designFromStep } = extendToCover(this.#d.model, known, candidate.expiryMs);
    const all = [...this.pending(now), candidate];
    const verdict = coolingCheck({ model: this.#d.model, forecast: f, storageEnergyKwh: obs.storageEnergyKwh, ghTempC: obs.ghTempC, overrides: all, proposed: candidate, designFromStep });
    // Any part of a step counts (as in the capacity check): a 10-minute override across two steps binds both.
    const plan = this.#d.checkPlan ? await this.#d.checkPlan(f, observationState(obs), overrideBounds(this.#d.model, all, f.startMs, f.stepsS, { anyOverlap: true })) : "unknown";
    const refused = plan === "infeasible" || (plan === "unknown" && !verdict.ok);
    if (refused) {
      const beyond = verdict.failedStep && verdict.failedStep.index >= designFromStep ? `; the forecast ends ${parisTime(f.startMs + known.stepsS.reduce((a, x) => a + x, 0) * 1000)}: set it again once the forecast covers that time` : "";
      const reason = verdict.reason ? verdict.reason + beyond : `no plan is possible with ${describeOverride(draft)} in force: the optimizer finds no schedule, even relaxed, that keeps the servers cooled and the hot loop balanced over the next ${Math.round((f.stepsS.reduce((a, x) => a + x, 0) / 3600) * 10) / 10} h`;
      this.audit({ actor: who.username, action: "override.refused", target: draft.target, oldValue: null, newValue: describeOverride(draft), reason: `${draft.reason} — refused: ${reason}` });
      throw new OverrideRefusal(422, reason);
    }
    const o = this.#d.store.insertOverride(draft);
    this.#overrides.push(o);
    this.audit({ actor: who.username, action: "override.set", target: o.target, oldValue: null, newValue: `#${o.id} ${describeOverride(o)} from ${iso(o.startMs)} to ${iso(o.expiryMs)}`, reason: o.reason });
    this.#d.log.info({ event: "override_set", id: o.id, author: o.author, target: o.target, kind: o.kind, value: o.value, expiry: iso(o.expiryMs), reason: o.reason, checked_until: iso(verdict.checkedUntilMs), plan_check: plan }, `override #${o.id} by ${o.author}: ${describeOverride(o)} until ${iso(o.expiryMs)} (${o.reason})`);
    this.events$.next({ type: "override", data: { action: "created", override: o } });
    return o;
  }

  clearOverride(who: Actor, id: number, reason: string | null): Override {
    const now = this.#d.nowMs();
    const o = this.#overrides.find((x) => x.id === id) ?? this.#d.store.override(id);
    if (!o) throw new OverrideRefusal(404, `no override #${id}`);
    const st = overrideStatus(o, now);
    if (st === "cleared" || st === "expired") throw new OverrideRefusal(409, `override #${id} is already ${st}`);
    // A lock-out protects people working on a unit: only who set it, or an engineer, lifts it.
    if (o.kind === "lockout" && o.author !== who.username && !atLeast(who.role, "engineer")) {
      this.audit({ actor: who.username, action: "override.clear_refused", target: o.target, oldValue: `#${o.id} ${describeOverride(o)}`, newValue: null, reason: `${reason ?? ""} — refused: a lock-out set by ${o.author} is cleared by its author or an engineer` });
      throw new OverrideRefusal(403, `override #${id} is a lock-out set by ${o.author}: only ${o.author} or an engineer can clear it`);
    }
    const cleared = this.#d.store.clearOverride(id, who.username, reason, now);
    this.#overrides = this.#overrides.filter((x) => x.id !== id);
    this.audit({ actor: who.username, action: "override.clear", target: o.target, oldValue: `#${o.id} ${describeOverride(o)} until ${iso(o.expiryMs)}`, newValue: null, reason });
    this.#d.log.info({ event: "override_cleared", id, by: who.username }, `override #${id} cleared by ${who.username}`);
    this.events$.next({ type: "override", data: { action: "cleared", override: cleared } });
    return cleared;
  }

  /**
   * Each plan's re-check of the overrides: one set aside for cooling is audited once (who: chaleur; why: the step
   * and the figures) and logged; the alarm follows the report at the next cycle.
   */
  planned(nowMs: number, report: OverrideReport): void {
    this.#guard = report;
    for (const s of report.setAside) {
      if (this.#setAsideAudited.has(s.override.id)) continue;
      this.#setAsideAudited.add(s.override.id);
      this.audit({ actor: "chaleur", action: "override.set_aside", target: s.override.target, oldValue: `#${s.override.id} ${describeOverride(s.override)}`, newValue: "not honoured by the plan", reason: s.why });
      this.#d.log.warn({ event: "override_set_aside", id: s.override.id, reason: s.why, plant_time: iso(nowMs) }, `override #${s.override.id} (${describeOverride(s.override)}) set aside: ${s.why}`);
    }
    // Honoured again (a cooler forecast): audited again if it is ever set aside once more.
    for (const id of [...this.#setAsideAudited]) if (!report.setAside.some((s) => s.override.id === id)) this.#setAsideAudited.delete(id);
  }

  alarms(all: boolean): Alarm[] {
    return all ? this.#d.store.alarms() : this.#alarms.slice();
  }

  alarmCounts(): { active: number; unacked: number } {
    return { active: this.#alarms.filter((a) => a.active).length, unacked: this.#alarms.filter((a) => a.state === "unack" || a.state === "rtn_unack").length };
  }

  ack(who: Actor, id: number): Alarm {
    return this.#alarmAction(ackAlarm(this.#alarms, id, who.username, this.#d.nowMs()), who, "alarm.ack", null);
  }

  /** Acknowledges each listed alarm that awaits it (one audit entry each); the others are named with why not. */
  ackMany(who: Actor, ids: readonly number[]): { acked: Alarm[]; skipped: { id: number; reason: string }[] } {
    const acked: Alarm[] = [];
    const skipped: { id: number; reason: string }[] = [];
    for (const id of new Set(ids)) {
      try {
        acked.push(this.ack(who, id));
      } catch (e) {
        if (!(e instanceof Error) || !("status" in e)) throw e;
        skipped.push({ id, reason: e.message });
      }
    }
    return { acked, skipped };
  }

  shelve(who: Actor, id: number, durationMin: number, reason: string): Alarm {
    const now = this.#d.nowMs();
    return this.#alarmAction(shelveAlarm(this.#alarms, id, who.username, now + durationMin * 60_000, reason, now), who, "alarm.shelve", reason);
  }

  unshelve(who: Actor, id: number): Alarm {
    return this.#alarmAction(unshelveAlarm(this.#alarms, id, who.username, this.#d.nowMs()), who, "alarm.unshelve", null);
  }

  #alarmAction(r: { alarms: Alarm[]; changed: Alarm }, who: Actor, action: string, reason: string | null): Alarm {
    const before = this.#alarms.find((a) => a.id === r.changed.id);
    this.#alarms = r.alarms;
    this.#d.store.saveAlarm(r.changed);
    this.audit({ actor: who.username, action, target: `alarm #${r.changed.id} ${r.changed.code} ${r.changed.source}`, oldValue: before?.state ?? null, newValue: r.changed.state + (r.changed.shelvedUntilMs ? ` until ${iso(r.changed.shelvedUntilMs)}` : ""), reason });
    this.events$.next({ type: "alarm", data: r.changed });
    return r.changed;
  }

  /** After each cycle: overrides whose time is over leave (audited once), and alarms follow the plant. */
  afterCycle(s: DaemonStatus, samples: ReadonlyMap<string, Sample>): void {
    const now = s.plantTimeMs;
    const over = this.#overrides.filter((o) => overrideStatus(o, now) === "expired");
    if (over.length) {
      this.#overrides = this.#overrides.filter((o) => !over.includes(o));
      for (const o of over) {
        this.audit({ actor: "chaleur", action: "override.expire", target: o.target, oldValue: `#${o.id} ${describeOverride(o)}`, newValue: null, reason: `expired at ${iso(o.expiryMs)}` });
        this.#d.log.info({ event: "override_expired", id: o.id }, `override #${o.id} (${describeOverride(o)}) expired`);
        this.events$.next({ type: "override", data: { action: "expired", override: o } });
      }
    }
    if (s.mode !== this.#mode) {
      this.#mode = s.mode;
      this.#modeSinceMs = now;
    }
    const m = this.#d.model;
    const good = (tag: string) => {
      const x = samples.get(tag);
      return x && x.quality === "good" ? x.value : null;
    };
    const conds = alarmConditions({
      nowMs: now,
      mode: s.mode,
      modeCause: s.modeCause,
      modeSinceMs: this.#modeSinceMs,
      opcua: s.opcua,
      opcuaError: s.opcuaError,
      plcs: Object.fromEntries(Object.entries(s.plcs).map(([plc, up]) => [plc, { up: up === "up", error: s.plcDetail[plc]?.error ?? null, mismatches: s.plcDetail[plc]?.mismatches ?? [] }])),
      samples,
      criticalTags: this.#d.criticalTags,
      greenhouse: m.greenhouse ? { tempC: good("gh.temp_c"), minC: comfortMinC(m, now), maxC: comfortMaxC(m), damageC: m.greenhouse.comfort.damageC } : null,
      storage: m.storage ? { energyKwh: good("storage.energy_kwh"), capacityKwh: m.storage.capacityKwh } : null,
      dhDemandKw: good("dh.demand_kw"),
      dhSoldKw: good("dh.sold_kw"),
      planFailuresInARow: s.planFailuresInARow,
      lastPlanFailure: s.lastPlanFailure,
      overridesUnsafe: unsafeView(this.#guard),
    });
    const r = stepAlarms(this.#alarms, conds, now, () => this.#nextAlarmId++);
    // Kept before they count: a failed write leaves the old list, and the next cycle tries the change again.
    if (r.changed.length) this.#d.store.saveAlarms(r.changed);
    this.#alarms = r.alarms;
    if (r.changed.length) {
      for (const a of r.changed) {
        this.events$.next({ type: "alarm", data: a });
        if (a.state === "unack" && a.raisedMs === now) this.#d.log.warn({ event: "alarm", id: a.id, code: a.code, source: a.source, priority: a.priority }, `alarm #${a.id} (${a.priority}) ${a.message}`);
      }
    }
  }

  audit(e: Omit<AuditEntry, "id" | "timeMs">): AuditEntry {
    const entry = this.#d.store.appendAudit({ ...e, timeMs: this.#d.nowMs() });
    this.events$.next({ type: "audit", data: entry });
    return entry;
  }
}

/** The forecast's steps from the one holding `nowMs` on (a plan made minutes ago covers a past step or two). */
function forecastFrom(f: PlanForecast, nowMs: number): PlanForecast | null {
  let startMs = f.startMs;
  let k = 0;
  while (k < f.n && startMs + f.stepsS[k]! * 1000 <= nowMs) startMs += f.stepsS[k++]! * 1000;
  if (k >= f.n) return null;
  const cut = <T>(a: readonly T[]) => a.slice(k);
  return { startMs, stepsS: cut(f.stepsS), n: f.n - k, itHeatKw: cut(f.itHeatKw), outdoorTempC: cut(f.outdoorTempC), solarWm2: cut(f.solarWm2), priceElEurPerMwh: cut(f.priceElEurPerMwh), dhDemandKw: cut(f.dhDemandKw), hpAvailable: f.hpAvailable.map(cut) };
}

function unsafeView(g: OverrideReport | null): AlarmConditionsInput["overridesUnsafe"] {
  if (!g || (!g.unsafe && g.setAside.length === 0 && g.coolable)) return null;
  const ids = g.unsafe?.ids ?? g.setAside.map((s) => s.override.id);
  const when = g.unsafe ? parisTime(g.unsafe.stepMs) : "the plan's start";
  const reason = g.unsafe?.reason ?? g.setAside[0]?.why ?? "the plant cannot take all the servers' heat";
  return { ids, when, reason, setAside: listOverrides(g.setAside.map((s) => s.override)), coolable: g.coolable };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

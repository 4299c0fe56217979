import { BehaviorSubject, Subject, exhaustMap, from, merge, timer, type Subscription } from "rxjs";
import type { Logger } from "pino";
import type { PlantModel } from "../model/plant-model.ts";
import type { PlcMap } from "../config/plc-schema.ts";
import type { Sample, SetpointPort, WriteReport } from "../io/types.ts";
import type { PlantMeasurementPort } from "../io/opcua/port.ts";
import type { Mode, Observation } from "../control/types.ts";
import type { PlanForecast } from "../optimizer/plan-types.ts";
import type { Planner, PlanTuning } from "../control/planner.ts";
import { planRequest } from "../control/planner.ts";
import { emptyEstimateMemory, estimate, safeSetpoints, type EstimateTag } from "../control/estimate.ts";
import { follow, type FollowConfig } from "../control/follow.ts";
import { emptyPlanStore, planAgeS, storeFailure, storePlan, type PlanStore } from "../control/plan-store.ts";
import { plantForecast } from "../forecast/plant-forecast.ts";
import type { DaemonForecaster } from "./forecasts.ts";
import type { Recorder } from "../report/record.ts";
import type { DaemonHistory } from "./history-port.ts";
import type { ResumeState } from "./resume.ts";
import { annotateSources, forecastFacts, fromPlant } from "./forecast-facts.ts";
import { cycleRecord, registersFor, replanReason, type ReplanThresholds } from "./phases.ts";
import { overrideStatus, type Override } from "../ops/overrides.ts";
import { applyOverrides } from "../ops/override-bounds.ts";
import { overridesNote, planAroundOverrides, type OverrideReport } from "./plan-overrides.ts";
import type { DaemonClock, DaemonStatus } from "./status.ts";

export type { DaemonClock, DaemonStatus } from "./status.ts";

/** The operators' overrides not yet over (active or scheduled), as the cycle sees them. */
export interface OverrideSource {
  pending(nowMs: number): readonly Override[];
  /** What each plan's re-check of the overrides found: set aside for cooling, or safe (alarm and audit follow). */
  planned?(nowMs: number, report: OverrideReport): void;
}

/**
 * The owner of the cycle (DESIGN §4): read → estimate → plan (on a worker, when due) → follow → clamp → write →
 * heartbeat → record, every I/O period. rxjs drives it: a timer whose ticks are dropped while a cycle is still
 * running (exhaustMap: a slow cycle never queues others behind it), and plan requests dropped while a solve is in
 * flight. The solver never delays I/O: a cycle with a solve in flight follows the plan in force.
 */

export interface DaemonDeps {
  model: PlantModel;
  maps: readonly PlcMap[];
  tags: ReadonlyMap<string, EstimateTag>;
  measurements: PlantMeasurementPort;
  setpoints: SetpointPort;
  planner: Planner;
  recorder: Recorder;
  /** Where each cycle, plan, forecast and mode change is kept (the SQLite history on a plant). */
  history?: DaemonHistory;
  /** What a restart takes over from the history. */
  resume?: ResumeState;
  /** Learned and filed forecasts; without it, the plant's arrays or the model's profiles (plantForecast). */
  forecaster?: DaemonForecaster;
  /** Operators' overrides: bounds of every plan and the last word on every write. */
  overrides?: OverrideSource;
  clock: DaemonClock;
  log: Logger;
  control: {
    ioPeriodS: number;
    replanS: number;
    grid: number[];
    tuning: PlanTuning;
    heldMaxS: number;
    replanThresholdItKw: number;
    replanThresholdDemandKw: number;
  };
}

/** How long (wall) a starting daemon waits for its first measurements before it writes safe values. */
const STARTUP_GRACE_WALL_MS = 20_000;
/** Housekeeping of the history after each cycle (retention slices) takes at most this much wall time. */
const HISTORY_IDLE_BUDGET_MS = 10;

export class Daemon {
  readonly status$: BehaviorSubject<DaemonStatus>;
  /** Every verified plan as it is stored (the API and tests see what the daemon follows). */
  readonly plans$ = new Subject<PlanStore>();
  readonly #d: DaemonDeps;
  #planStore: PlanStore = emptyPlanStore();
  #forecast: PlanForecast | null = null;
  #memory = emptyEstimateMemory();
  #prevObs: Observation | null = null;
  #prevRunning: boolean[] = [];
  #lastCycleNowMs: number | null = null;
  #inFlight: Promise<void> | null = null;
  #planInFlight: Promise<void> | null = null;
  readonly #planRequests = new Subject<{ obs: Observation; trigger: string }>();
  #subs: Subscription[] = [];
  readonly #planSub: Subscription;
  #stopping = false;
  readonly #followCfg: FollowConfig;
  readonly #thresholds: ReplanThresholds;
  #lastClamps = "";
  #lastCycleError = "";
  readonly #kicks = new Subject<void>();
  readonly #writeErrors = new Map<string, string>();
  #startedWallMs: number | null = null;
  #observed = false;
  /** A plan taken over from the history, to be followed while the first plan of this run is made. */
  #resumed = false;
  /** The last cycle's samples: the age of a value a plan holds when nothing better is known. */
  #lastSamples: ReadonlyMap<string, Sample> = new Map();
  /** The overrides pending at the last cycle (ids and status): a change asks for a plan at once. */
  #overrideKey = "";
  #overridePlanDue = false;
  /** Overrides the last plan set aside for cooling (ops/override-guard.ts). */
  #setAside = new Set<number>();

  constructor(d: DaemonDeps) {
    this.#d = d;
    const c = d.control;
    // The rule fallback and the greenhouse interlock look one plan step ahead (15 min), as in the simulator; a plan
    // older than two re-plan periods with no failure reported means the planner went quiet.
    this.#followCfg = { model: d.model, periodS: c.grid[0] ?? c.ioPeriodS, heldMaxS: c.heldMaxS, freshMaxS: 2 * c.replanS + 60 };
    this.#thresholds = { replanS: c.replanS, retryS: Math.min(c.replanS, Math.max(60, 6 * c.ioPeriodS)), itKw: c.replanThresholdItKw, demandKw: c.replanThresholdDemandKw };
    this.status$ = new BehaviorSubject<DaemonStatus>({
      mode: "rule",
      modeCause: "starting",
      plantTimeMs: d.clock.nowMs(),
      lastCycleAtMs: null,
      lastCycleMs: null,
      cycles: 0,
      planAgeS: null,
      planInFlight: false,
      opcua: "down",
      plcs: Object.fromEntries(d.maps.map((p) => [p.plc, "down"])),
      written: {},
      followedPlanMadeAtMs: null,
      opcuaError: null,
      plcDetail: Object.fromEntries(d.maps.map((p) => [p.plc, { error: null, mismatches: [] }])),
      planFailuresInARow: 0,
      lastPlanFailure: null,
      overridesApplied: [],
    });
    if (d.resume) {
      this.#planStore = d.resume.planStore;
      this.#memory = d.resume.memory;
      this.#prevRunning = d.resume.running ?? [];
      this.#resumed = d.resume.planStore.plan !== null;
    }
    // Plans are made whether the cycle runs on the timer (start) or is stepped by a test.
    this.#planSub = this.#planRequests.pipe(exhaustMap((r) => from((this.#planInFlight = this.#plan(r.obs, r.trigger))))).subscribe();
  }

  get planStore(): PlanStore {
    return this.#planStore;
  }

  get forecast(): PlanForecast | null {
    return this.#forecast;
  }

  /** The last cycle's estimate of the plant (null before the first, or in safe). */
  get observation(): Observation | null {
    return this.#prevObs;
  }

  get samples(): ReadonlyMap<string, Sample> {
    return this.#lastSamples;
  }

  start(): void {
    const periodWallMs = (this.#d.control.ioPeriodS * 1000) / this.#d.clock.rate;
    this.#subs.push(
      merge(timer(0, periodWallMs), this.#kicks)
        .pipe(exhaustMap(() => from((this.#inFlight = this.#safeCycle()))))
        .subscribe(),
    );
  }

  /** Stops planning, lets the cycle in flight finish (its setpoints stay on the PLCs), closes nothing it does not own. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const s of this.#subs) s.unsubscribe();
    this.#subs = [];
    this.#planSub.unsubscribe();
    await this.#inFlight;
    await this.#d.planner.close();
    await this.#planInFlight?.catch(() => undefined);
    try {
      this.#d.history?.flush();
    } catch (e) {
      this.#d.log.warn({ event: "history_flush_failed", error: (e as Error).message }, `history: the last plan could not be kept: ${(e as Error).message}`);
    }
  }

  /** Runs a cycle now unless one is running (e.g. the moment the OPC UA link comes up, not a period later). */
  kick(): void {
    this.#kicks.next();
  }

  /** A cycle that throws (a full disk under the history, a bug) is logged and the next one runs: control goes on. */
  async #safeCycle(): Promise<void> {
    try {
      await this.cycle();
      this.#lastCycleError = "";
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== this.#lastCycleError) this.#d.log.error({ event: "cycle_error", error: msg }, `cycle failed: ${msg}`);
      this.#lastCycleError = msg;
    }
    try {
      this.#d.history?.idle(this.#d.clock.nowMs(), HISTORY_IDLE_BUDGET_MS);
    } catch (e) {
      this.#d.log.warn({ event: "history_idle_failed", error: (e as Error).message }, `history housekeeping failed: ${(e as Error).message}`);
    }
  }

  /** Resolves when no plan is being made (tests step the daemon without timers and wait for its plans). */
  async planSettled(): Promise<void> {
    await this.#planInFlight?.catch(() => undefined);
  }

  /** One cycle; public so that tests can step the daemon without timers. */
  async cycle(): Promise<void> {
    const d = this.#d;
    const t0 = performance.now();
    const nowMs = d.clock.nowMs();
    // read
    const samples = await d.measurements.read();
    this.#lastSamples = samples;
    d.forecaster?.observe(samples);
    // estimate
    const est = estimate(d.model, d.tags, samples, nowMs, this.#memory);
    this.#memory = est.memory;
    this.#startedWallMs ??= performance.now();
    if (est.estimate.kind === "observation") this.#observed = true;
    else if (!this.#observed && performance.now() - this.#startedWallMs < STARTUP_GRACE_WALL_MS) {
      // Nothing is written before the plant has been seen once (or the grace is over): a daemon restarting while
      // its OPC UA session comes up would otherwise write safe values over good setpoints, a bump.
      this.#setStatus({ modeCause: `waiting for measurements: ${est.estimate.reason}`, plantTimeMs: nowMs });
      return;
    }
    let mode: Mode;
    let cause: string;
    let sp;
    let followed: number | null = null;
    const overrides = d.overrides?.pending(nowMs) ?? [];
    const overrideKey = overrides.map((o) => `${o.id}:${overrideStatus(o, nowMs)}`).join(",");
    if (overrideKey !== this.#overrideKey) this.#overridePlanDue = this.status$.value.cycles > 0 || overrides.length > 0;
    this.#overrideKey = overrideKey;
    if (est.estimate.kind === "safe") {
      mode = "safe";
      cause = est.estimate.reason;
      sp = safeSetpoints(d.model);
    } else {
      const obs = est.estimate.obs;
      // plan (async, when due)
      // A resumed plan is followed while this run's first plan is made (the plant may have changed meanwhile).
      const resumed = this.#resumed && this.status$.value.cycles === 0;
      const reason = this.#stopping || this.#planInFlightNow ? null : resumed ? "restart" : this.#overridePlanDue ? "override" : replanReason(this.#planStore, this.#forecast, this.#prevObs, obs, nowMs, this.#thresholds, d.model.network.contractMaxKw);
      if (reason) {
        this.#overridePlanDue = false;
        this.#planRequests.next({ obs, trigger: reason });
        // At a first start the first plan is awaited (bounded by the solve limit): the first write is then a plan's
        // step, not the rule's, so starting does not bump the plant.
        if (this.status$.value.cycles === 0 && !resumed) await this.planSettled();
      }
      // follow
      const f = follow(this.#planStore, obs, nowMs, this.#followCfg);
      ({ mode, cause, setpoints: sp } = f);
      if (mode !== "rule") followed = this.#planStore.madeAtMs;
      this.#prevObs = obs;
    }
    // overrides: the operators' word over the plan's (and the rule's), before the clamp
    // Those the last plan set aside for cooling are not forced onto the PLCs either: cooling wins there too.
    const ov = applyOverrides(sp, overrides.filter((o) => overrideStatus(o, nowMs) === "active" && !this.#setAside.has(o.id)), mode === "safe");
    // clamp
    const out = registersFor(d.model, d.maps, ov.setpoints, mode);
    const clampKey = out.clamps.join("; ");
    if (clampKey && clampKey !== this.#lastClamps) d.log.warn({ event: "clamp", clamps: out.clamps }, `setpoints clamped: ${clampKey}`);
    this.#lastClamps = clampKey;
    // write, then heartbeat (the port holds a PLC's heartbeat back until a write to it has succeeded)
    const reports = await d.setpoints.write(out.registers);
    await d.setpoints.heartbeat();
    // record
    const starts = this.#countStarts(samples);
    const durationS = this.#lastCycleNowMs === null ? d.control.ioPeriodS : Math.max(0, (nowMs - this.#lastCycleNowMs) / 1000);
    this.#lastCycleNowMs = nowMs;
    const record = cycleRecord(d.model, samples, nowMs, durationS, mode, starts);
    d.recorder.record(record);
    const prevMode = this.status$.value.cycles === 0 ? "starting" : this.status$.value.mode;
    if (prevMode !== mode) d.history?.modeChange({ timeMs: nowMs, from: prevMode, to: mode, cause });
    d.history?.cycle({ timeMs: nowMs, samples, record, cause, planMadeAtMs: followed, reports, cycleMs: performance.now() - t0 });
    this.#publish(mode, cause, nowMs, reports, out.registers, performance.now() - t0, followed, ov.applied);
  }

  get #planInFlightNow(): boolean {
    return this.status$.value.planInFlight;
  }

  async #plan(obs: Observation, trigger: string): Promise<void> {
    const d = this.#d;
    this.#setStatus({ planInFlight: true });
    try {
      let readError: string | null = null;
      const arrays = await d.measurements.readForecasts().catch((e: Error) => ((readError = e.message), null));
      const pf = d.forecaster ? d.forecaster.make(obs, d.control.grid, arrays) : fromPlant(plantForecast(d.model, obs, d.control.grid, arrays));
      annotateSources(pf, readError, this.#lastSamples, obs.timeMs);
      const req = planRequest(d.control.tuning, d.control.grid, this.#planStore, obs, pf.forecast);
      const overrides = d.overrides?.pending(obs.timeMs) ?? [];
      let failure: string | null = null;
      d.history?.forecasts(forecastFacts(pf));
      try {
        const { result: r, report } = await planAroundOverrides(d.planner, d.model, req, obs, overrides);
        this.#setAside = new Set(report.setAside.map((x) => x.override.id));
        d.overrides?.planned?.(obs.timeMs, report);
        d.history?.plan({ madeAtMs: obs.timeMs, trigger, status: r.status, objectiveEur: r.objectiveEur, solver: r.solver, solveMs: r.solveMs, gapPct: r.gapPct, message: r.plan ? null : r.message, plan: r.plan });
        if (r.plan) {
          this.#planStore = storePlan(this.#planStore, r.plan, obs.timeMs, { trigger, solver: r.solver, solveMs: r.solveMs, gapPct: r.gapPct, overrideIds: overrides.map((o) => o.id) });
          this.#setStatus({ planFailuresInARow: 0, lastPlanFailure: null });
          this.#forecast = pf.forecast;
          this.plans$.next(this.#planStore);
          d.log.info({ event: "plan", trigger, status: r.status, objective_eur: round2(r.objectiveEur ?? 0), solve_ms: Math.round(r.solveMs), forecast: Object.fromEntries(Object.entries(pf.sources).map(([k, v]) => [k, v.source])) }, `plan (${trigger}): ${r.status}, ${round2(r.objectiveEur ?? 0)} € over ${d.control.grid.length} steps, ${Math.round(r.solveMs)} ms`);
        } else failure = r.message;
      } catch (e) {
        failure = (e as Error).message;
        d.history?.plan({ madeAtMs: obs.timeMs, trigger, status: "error", objectiveEur: null, solver: null, solveMs: null, gapPct: null, message: failure, plan: null });
      }
      if (failure !== null) {
        // An override the forecast has since made impossible shows here (and in the solver alarm) by its number.
        if (overrides.length) failure = `${failure} (${overridesNote(overrides, obs.timeMs)})`;
        this.#planStore = storeFailure(this.#planStore, obs.timeMs, failure);
        this.#setStatus({ planFailuresInARow: this.status$.value.planFailuresInARow + 1, lastPlanFailure: failure });
        d.log.warn({ event: "plan_failed", trigger, reason: failure }, `plan (${trigger}) failed: ${failure}`);
      }
    } finally {
      this.#setStatus({ planInFlight: false, planAgeS: this.#ageS() });
    }
  }

  #countStarts(samples: ReadonlyMap<string, Sample>): number {
    const running = this.#d.model.heatPumps.map((h) => (samples.get(`${h.id}.running`)?.value ?? 0) >= 0.5);
    const starts = running.filter((r, i) => r && this.#prevRunning[i] === false).length;
    this.#prevRunning = running;
    return starts;
  }

  #ageS(): number | null {
    const a = planAgeS(this.#planStore, this.#d.clock.nowMs());
    return Number.isFinite(a) ? Math.round(a) : null;
  }

  #publish(mode: Mode, cause: string, nowMs: number, reports: WriteReport[], written: Record<string, number>, ms: number, followedPlanMadeAtMs: number | null, overridesApplied: number[]): void {
    const d = this.#d;
    const prev = this.status$.value;
    const from = prev.cycles === 0 ? "starting" : prev.mode;
    if (from !== mode) d.log[mode === "optimal" ? "info" : "warn"]({ event: "mode", from, to: mode, cause }, `mode ${from} → ${mode}: ${cause}`);
    const plcs = { ...prev.plcs };
    const plcDetail = { ...prev.plcDetail };
    for (const r of reports) {
      plcDetail[r.plc] = { error: r.ok ? null : (r.error ?? null), mismatches: r.mismatches };
      const up = r.ok ? "up" : "down";
      const why = r.ok ? "" : (r.error ?? `read back differs: ${r.mismatches.join(", ")}`);
      // One line per new reason, not one per cycle while a PLC stays down: the Modbus client's backoff wording
      // ("not connected after 3 failures (last: …); next attempt in 4.0 s") is the same reason as its first failure.
      const reason = why.replace(/not connected after \d+ failures? \(last: (.*)\); next attempt in [\d.]+ s/, "$1");
      if (!r.ok && reason !== this.#writeErrors.get(r.plc)) d.log.warn({ event: "write_failed", plc: r.plc, error: r.error, mismatches: r.mismatches }, `write to ${r.plc} failed: ${why}`);
      this.#writeErrors.set(r.plc, reason);
      if (plcs[r.plc] !== up && r.ok && prev.cycles > 0) d.log.info({ event: "plc_up", plc: r.plc }, `PLC ${r.plc} answers again`);
      plcs[r.plc] = up;
    }
    const link = d.measurements.status();
    const opcua = link.connected ? "up" : "down";
    if (opcua !== prev.opcua && prev.cycles > 0) d.log[link.connected ? "info" : "warn"]({ event: link.connected ? "opcua_up" : "opcua_down", error: link.lastError }, link.connected ? "OPC UA connected" : `OPC UA down: ${link.lastError ?? "no connection"}`);
    this.status$.next({ ...prev, mode, modeCause: cause, plantTimeMs: nowMs, lastCycleAtMs: Date.now(), lastCycleMs: ms, cycles: prev.cycles + 1, planAgeS: this.#ageS(), opcua, opcuaError: link.connected ? null : (link.lastError ?? "no connection"), plcs, plcDetail, written, followedPlanMadeAtMs, overridesApplied });
  }

  #setStatus(p: Partial<DaemonStatus>): void {
    this.status$.next({ ...this.status$.value, ...p });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

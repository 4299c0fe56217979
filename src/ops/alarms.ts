/**
 * The alarm life cycle of ISA-18.2, as pure functions over plain data. Each cycle the daemon turns what it knows
 * into the conditions active now (`alarmConditions`) and folds them into its open alarms (`stepAlarms`); operators
 * act through `ackAlarm`, `shelveAlarm` and `unshelveAlarm`. Nothing here reads a clock, a file or a socket: time
 * is always `nowMs`, ids come from the caller's `nextId`, and every function returns new objects plus the alarms
 * that changed, so the daemon can persist exactly those and emit one `alarm` event each.
 *
 * One alarm for one cause: an alarm is keyed by (code, source) and a key never has two open alarms; and
 * `alarmConditions` leaves out the consequences of a root cause (one `opcua_down` instead of a `tag_bad` per tag,
 * no `write_not_read_back` for an unreachable PLC, no `gh_out_of_band` beside `gh_damage`).
 */

/**
 * A mode other than optimal must last this long before it is an alarm: one failed or late re-plan is absorbed by
 * the ladder (held, then back to optimal at the next plan), and an alarm that comes and goes each re-plan would
 * teach operators to ignore it (ISA-18.2 on-delay against chattering).
 */
export const MODE_ALARM_DELAY_MS = 120_000;
/** The comfort band is soft (discomfort is priced, traded against power prices): alarm only beyond that and noise. */
export const GH_BAND_MARGIN_K = 0.5;
/** Below 2 % of its capacity the store cannot cover a shortfall for more than minutes: it is empty in practice. */
export const STORE_EMPTY_FRACTION = 0.02;
/** A shortfall smaller than this is within metering noise and the ramp of the network's own controls. */
export const DH_SHORTFALL_KW = 50;
/** One failure is handled by holding the last plan; three in a row mean a systematic cause worth a look. */
export const SOLVER_FAILURES_ALARM = 3;
/** ISA-18.2 requires shelving to be time-limited; 24 h is also the operator's override limit (DESIGN §8). */
export const MAX_SHELVE_MS = 24 * 3600_000;

/** Qualities that say the value did not arrive, rather than that the sensor is wrong. */
const LINK_QUALITIES = new Set(["comm_error", "stale"]);
/** At least this many tags, and half of them, without data at once is the link's fault, not each sensor's. */
export const LINK_STALL_MIN_TAGS = 3;

export type AlarmPriority = "high" | "medium" | "low";
export type AlarmState = "unack" | "ack" | "rtn_unack" | "shelved" | "closed";

export interface Alarm {
  /** Assigned by the caller's `nextId` when the alarm is raised; stable for the alarm's life. */
  id: number;
  /** What kind of abnormal situation, e.g. "plc_unreachable". */
  code: string;
  /** What it is about: "daemon", a tag name, a PLC name, "greenhouse", "storage", "optimizer". */
  source: string;
  priority: AlarmPriority;
  state: AlarmState;
  /** The condition is present now (a shelved alarm keeps tracking it). */
  active: boolean;
  /** What is wrong, with the value; kept up to date while active, frozen at its last value once it clears. */
  message: string;
  /** What the operator should do. */
  action: string;
  raisedMs: number;
  /** When the condition last returned to normal; null while it is present. */
  clearedMs: number | null;
  ackedMs: number | null;
  ackedBy: string | null;
  shelvedUntilMs: number | null;
  shelvedBy: string | null;
  shelveReason: string | null;
}

export interface AlarmCondition {
  code: string;
  source: string;
  priority: AlarmPriority;
  message: string;
  action: string;
}

export interface AlarmConditionsInput {
  nowMs: number;
  mode: "optimal" | "held" | "rule" | "safe";
  modeCause: string;
  /** When the current mode began. */
  modeSinceMs: number;
  opcua: "up" | "down";
  opcuaError: string | null;
  /** The last write report per PLC. */
  plcs: Record<string, { up: boolean; error: string | null; mismatches: string[] }>;
  /** The latest sample of each tag, by tag name (e.g. "gh.temp_c"). */
  samples: ReadonlyMap<string, { value: number; quality: string; detail?: string }>;
  /** Tags the controller cannot do without: their bad quality is a medium alarm instead of a low one. */
  criticalTags: readonly string[];
  /** The band in force now (day or night), from the model; null without a greenhouse. */
  greenhouse: { tempC: number | null; minC: number; maxC: number; damageC: number } | null;
  /** Null without a store. */
  storage: { energyKwh: number | null; capacityKwh: number } | null;
  dhDemandKw: number | null;
  dhSoldKw: number | null;
  planFailuresInARow: number;
  lastPlanFailure: string | null;
  /** The last plan's re-check of the overrides, when they were not safe together (absent or null: safe). */
  overridesUnsafe?: { ids: number[]; when: string; reason: string; setAside: string; coolable: boolean } | null;
}

/** An operator action that cannot be done; `message` is one line, fit for an HTTP `{error}` answer. */
export class AlarmActionError extends Error {
  readonly status: 400 | 404 | 409;
  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.name = "AlarmActionError";
    this.status = status;
  }
}

const RANK: Record<AlarmPriority, number> = { high: 3, medium: 2, low: 1 };

/** Numbers for people: one decimal at most, no trailing ".0" (31.2, 29). */
function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

const MODE_ACTION: Record<"held" | "rule" | "safe", string> = {
  held: "No fresh plan: chaleur follows the last verified plan while it is young enough. Look at the optimizer's alarms and log; nothing to do at the plant unless it lasts.",
  rule: "No usable plan: chaleur runs its rule controller (safe, not optimal). Look at the optimizer's alarms and log; restore the forecasts or solver named in the cause.",
  safe: "Measurements are missing or implausible: heat pumps ramp down and heat goes to the dry coolers and chiller. Restore the measurement named in the cause (see the tag and OPC UA alarms).",
};

/** The abnormal conditions present now, root causes only, in a stable order; the time comes in `input`. */
export function alarmConditions(input: AlarmConditionsInput): AlarmCondition[] {
  const out: AlarmCondition[] = [];
  const { nowMs, mode } = input;

  if (mode !== "optimal" && nowMs - input.modeSinceMs > MODE_ALARM_DELAY_MS) {
    const min = Math.floor((nowMs - input.modeSinceMs) / 60_000);
    out.push({
      code: "mode_not_optimal", source: "daemon", priority: mode === "safe" ? "high" : "medium",
      message: `controller in ${mode} mode for ${min} min: ${input.modeCause}`, action: MODE_ACTION[mode],
    });
  }

  const opcuaDown = input.opcua === "down";
  if (opcuaDown) {
    out.push({
      code: "opcua_down", source: "opcua", priority: "high",
      message: `OPC UA link down: ${input.opcuaError ?? "no connection"}`,
      action: "Check the OPC UA server and the network link; chaleur holds the last plan, then falls back to its rules.",
    });
  }

  // A tag with no fresh value (comm_error, stale) is the link's fault when the link is down, or when most tags
  // lack one at once (a stalled session or gateway: the link still "up"): one link alarm, not one per tag. Other
  // qualities (a sensor out of range, frozen…) are the sensor's own fault and stay one alarm per tag.
  const noData = [...input.samples].filter(([, s]) => LINK_QUALITIES.has(s.quality));
  const linkStalled = !opcuaDown && noData.length >= LINK_STALL_MIN_TAGS && noData.length * 2 >= input.samples.size;
  if (linkStalled) {
    const kinds = [...new Set(noData.map(([, s]) => s.quality))].join("/");
    out.push({
      code: "opcua_no_data", source: "opcua", priority: "high",
      message: `OPC UA link up but ${noData.length} of ${input.samples.size} tags carry no fresh value (${kinds}), e.g. ${noData.slice(0, 3).map(([t]) => t).join(", ")}`,
      action: "Check the OPC UA server or gateway (a stalled session, a stopped publisher) and the network; chaleur uses no value that is not good and goes to safe mode if needed values stay missing.",
    });
  }
  for (const [tag, s] of input.samples) {
    if (s.quality === "good" || ((opcuaDown || linkStalled) && LINK_QUALITIES.has(s.quality))) continue;
    out.push({
      code: "tag_bad", source: tag, priority: input.criticalTags.includes(tag) ? "medium" : "low",
      message: `${tag}: ${s.quality}${s.detail ? ` (${s.detail})` : ""}`,
      action: `Check the sensor, its wiring and its gateway for ${tag}; chaleur does not use a value that is not good, and goes to safe mode when a needed measurement stays bad.`,
    });
  }

  for (const [plc, r] of Object.entries(input.plcs)) {
    // A communication error fails the whole write (nothing read back, so no mismatches); read-back mismatches
    // with an answering PLC are the other failure, and an unreachable PLC never also reports them.
    const unreachable = !r.up && r.error !== null && r.mismatches.length === 0;
    if (unreachable) {
      out.push({
        code: "plc_unreachable", source: plc, priority: "high",
        message: `PLC ${plc} unreachable: ${r.error}`,
        action: `Check PLC ${plc}'s power and network link. While chaleur cannot write, the PLC's watchdog applies its own safe setpoints.`,
      });
    } else if (r.mismatches.length > 0) {
      out.push({
        code: "write_not_read_back", source: plc, priority: "medium",
        message: `PLC ${plc} holds other values than written for ${r.mismatches.join(", ")}${r.error ? `: ${r.error}` : ""}`,
        action: `Check PLC ${plc} for a local/manual mode, a clamp or another writer on those registers, and that its register map matches chaleur's.`,
      });
    }
  }

  const gh = input.greenhouse;
  if (gh && gh.tempC !== null && Number.isFinite(gh.tempC)) {
    const t = gh.tempC;
    if (t >= gh.damageC) {
      out.push({
        code: "gh_damage", source: "greenhouse", priority: "high",
        message: `greenhouse ${num(t)} °C, above its ${num(gh.damageC)} °C damage temperature`,
        action: "Ventilate or shade the greenhouse now (local controls); check its boost heating is off and the direct exchanger valve is not stuck open.",
      });
    } else if (t > gh.maxC + GH_BAND_MARGIN_K || t < gh.minC - GH_BAND_MARGIN_K) {
      const above = t > gh.maxC + GH_BAND_MARGIN_K;
      out.push({
        code: "gh_out_of_band", source: "greenhouse", priority: "low",
        message: `greenhouse ${num(t)} °C, ${above ? `above its ${num(gh.maxC)} °C maximum` : `below its ${num(gh.minC)} °C minimum`}`,
        action: above
          ? "Check the greenhouse ventilation and that the heat delivered to it follows the plan; an override can cap the greenhouse heat."
          : "Check the greenhouse heat delivery (direct exchanger, boost) follows the plan; an override can raise the greenhouse heat.",
      });
    }
  }

  const st = input.storage;
  if (st && st.energyKwh !== null && input.dhDemandKw !== null && input.dhSoldKw !== null && st.energyKwh < STORE_EMPTY_FRACTION * st.capacityKwh && input.dhDemandKw > input.dhSoldKw + DH_SHORTFALL_KW) {
    out.push({
      code: "store_empty_demand", source: "storage", priority: "medium",
      message: `store at ${num(st.energyKwh)} kWh of ${num(st.capacityKwh)} kWh while the network asks ${num(input.dhDemandKw)} kW and gets ${num(input.dhSoldKw)} kW`,
      action: "Tell the network operator the heat delivery is short; check the heat pumps are all available (no forgotten lock-out override).",
    });
  }

  const ou = input.overridesUnsafe;
  if (ou) {
    out.push({
      code: "override_unsafe", source: "overrides", priority: "high",
      message: `overrides ${ou.ids.map((id) => `#${id}`).join(", ")} would take cooling away at ${ou.when}: ${ou.reason}${ou.setAside ? `; set aside for cooling: ${ou.setAside}` : ""}${ou.coolable ? "" : "; even with every override set aside the plant cannot take all the servers' heat: every unit available runs to remove the most"}`,
      action: "Cooling comes first: chaleur plans without the overrides named. Clear or shorten them (or bring the unit back), and tell the data centre if the plant cannot take all the heat.",
    });
  }

  if (input.planFailuresInARow >= SOLVER_FAILURES_ALARM) {
    out.push({
      code: "solver_failing", source: "optimizer", priority: "medium",
      message: `${input.planFailuresInARow} plans failed in a row: ${input.lastPlanFailure ?? "no detail"}`,
      action: "Read the optimizer log for the failure; check the forecasts and prices are fresh and the overrides in force are feasible together.",
    });
  }
  return out;
}

const keyOf = (a: { code: string; source: string }): string => `${a.code}\u0000${a.source}`;

/**
 * Folds this cycle's conditions into the open alarms. The returned `alarms` are the open ones (closed alarms are
 * dropped: the caller keeps them in its database); `changed` lists every alarm raised, changing state or priority,
 * or closed in this step.
 *
 * A message update alone is not a change: values move every cycle, and an event (and a database row) per cycle
 * per alarm would flood both; the latest message travels with the next real change and in `alarms`.
 * While shelved an alarm tracks its condition (active, message, clearedMs) silently: that is what shelving is for.
 */
export function stepAlarms(alarms: readonly Alarm[], conditions: readonly AlarmCondition[], nowMs: number, nextId: () => number): { alarms: Alarm[]; changed: Alarm[] } {
  // One condition per key: duplicates (a caller bug) keep the highest priority, so nothing is hidden by them.
  const byKey = new Map<string, AlarmCondition>();
  for (const c of conditions) {
    const prev = byKey.get(keyOf(c));
    if (!prev || RANK[c.priority] > RANK[prev.priority]) byKey.set(keyOf(c), c);
  }
  const matched = new Set<string>();
  const next: Alarm[] = [];
  const changed: Alarm[] = [];

  for (const a of alarms) {
    if (a.state === "closed") continue;
    const key = keyOf(a);
    // Only the first open alarm of a key takes its condition; any other returns to normal and closes in time.
    const c = matched.has(key) ? undefined : byKey.get(key);
    if (c) matched.add(key);
    const { alarm, isChange } = follow(a, c, nowMs);
    if (alarm.state !== "closed") next.push(alarm);
    if (isChange) changed.push(alarm);
  }

  for (const [key, c] of byKey) {
    if (matched.has(key)) continue;
    // Fields copied one by one: a condition object with extra properties must not leak them into the alarm.
    const alarm: Alarm = { id: nextId(), code: c.code, source: c.source, priority: c.priority, state: "unack", active: true, message: c.message, action: c.action,
      raisedMs: nowMs, clearedMs: null, ackedMs: null, ackedBy: null, shelvedUntilMs: null, shelvedBy: null, shelveReason: null };
    next.push(alarm);
    changed.push(alarm);
  }
  return { alarms: next, changed };
}

/** One open alarm against its condition (undefined: absent) at nowMs. */
function follow(a: Alarm, c: AlarmCondition | undefined, nowMs: number): { alarm: Alarm; isChange: boolean } {
  const active = c !== undefined;
  // Present: the message, priority and action follow the condition. Absent: they stay as they were when it
  // cleared, which is what the operator acknowledging a returned alarm needs to read.
  const tracked: Alarm = c
    ? { ...a, active, message: c.message, priority: c.priority, action: c.action, clearedMs: null }
    : { ...a, active, clearedMs: a.active ? nowMs : (a.clearedMs ?? nowMs) };
  const priorityChanged = tracked.priority !== a.priority;

  if (a.state === "shelved") {
    if (a.shelvedUntilMs !== null && nowMs < a.shelvedUntilMs) return { alarm: tracked, isChange: false };
    return { alarm: leaveShelf(tracked, nowMs), isChange: true };
  }
  if (a.state === "unack" && !active) return { alarm: { ...tracked, state: "rtn_unack" }, isChange: true };
  if (a.state === "ack" && !active) return { alarm: { ...tracked, state: "closed" }, isChange: true };
  // The same cause again before anyone acknowledged its return: the same alarm, annunciated again.
  if (a.state === "rtn_unack" && active) return { alarm: { ...tracked, state: "unack" }, isChange: true };
  return { alarm: tracked, isChange: priorityChanged };
}

/**
 * Off the shelf (expired or unshelved): back to `unack` when the condition is still present, so it is seen again
 * even if it was acknowledged before shelving; `closed` when it cleared meanwhile. Closing rather than going to
 * `rtn_unack` is a choice: the operator who shelved it already saw it, and an acknowledgement of something that is
 * gone would only be noise. The shelf fields are cleared (the audit log keeps who shelved it and why).
 */
function leaveShelf(a: Alarm, nowMs: number): Alarm {
  const off = { ...a, shelvedUntilMs: null, shelvedBy: null, shelveReason: null };
  return a.active
    ? { ...off, state: "unack", ackedMs: null, ackedBy: null }
    : { ...off, state: "closed", clearedMs: a.clearedMs ?? nowMs };
}

function find(alarms: readonly Alarm[], id: number): Alarm {
  const a = alarms.find((x) => x.id === id);
  if (!a) throw new AlarmActionError(404, `no open alarm ${id}`);
  return a;
}

function needUser(user: string): void {
  if (typeof user !== "string" || user.trim() === "") throw new AlarmActionError(400, "an operator name is required");
}

/** Replaces the alarm in the list (drops it when closed) and reports it as the change. */
function replaced(alarms: readonly Alarm[], alarm: Alarm): { alarms: Alarm[]; changed: Alarm } {
  const out: Alarm[] = [];
  for (const x of alarms) {
    if (x.id !== alarm.id) out.push(x);
    else if (alarm.state !== "closed") out.push(alarm);
  }
  return { alarms: out, changed: alarm };
}

/**
 * Acknowledges: `unack` → `ack`; `rtn_unack` → `closed`. An alarm already acknowledged is refused (409) rather
 * than acknowledged twice, so a second operator learns someone else did it; a shelved one must be unshelved first.
 */
export function ackAlarm(alarms: readonly Alarm[], id: number, user: string, nowMs: number): { alarms: Alarm[]; changed: Alarm } {
  const a = find(alarms, id);
  needUser(user);
  const acked = { ...a, ackedMs: nowMs, ackedBy: user };
  switch (a.state) {
    case "unack":
      return replaced(alarms, { ...acked, state: "ack" });
    case "rtn_unack":
      return replaced(alarms, { ...acked, state: "closed", clearedMs: a.clearedMs ?? nowMs });
    case "ack":
      throw new AlarmActionError(409, `alarm ${id} is already acknowledged (by ${a.ackedBy ?? "someone"})`);
    case "shelved":
      throw new AlarmActionError(409, `alarm ${id} is shelved; unshelve it to acknowledge it`);
    case "closed":
      throw new AlarmActionError(409, `alarm ${id} is closed`);
  }
}

/**
 * Shelves an open alarm (active, acknowledged or not, or returned but unacknowledged) until `untilMs`, after now
 * and at most MAX_SHELVE_MS ahead, with a reason. Shelving a shelved alarm is refused (409): unshelve first, so
 * each shelf has one author and one reason in the audit log.
 */
export function shelveAlarm(alarms: readonly Alarm[], id: number, user: string, untilMs: number, reason: string, nowMs: number): { alarms: Alarm[]; changed: Alarm } {
  const a = find(alarms, id);
  needUser(user);
  if (typeof reason !== "string" || reason.trim() === "") throw new AlarmActionError(400, "a reason is required to shelve an alarm");
  if (!Number.isFinite(untilMs) || untilMs <= nowMs) throw new AlarmActionError(400, "the shelf must end in the future");
  if (untilMs - nowMs > MAX_SHELVE_MS) throw new AlarmActionError(400, `an alarm can be shelved for at most ${MAX_SHELVE_MS / 3600_000} h`);
  if (a.state === "shelved") throw new AlarmActionError(409, `alarm ${id} is already shelved; unshelve it first`);
  if (a.state === "closed") throw new AlarmActionError(409, `alarm ${id} is closed`);
  return replaced(alarms, { ...a, state: "shelved", shelvedUntilMs: untilMs, shelvedBy: user, shelveReason: reason.trim() });
}

/** Takes a shelved alarm off its shelf early: the same outcome as the shelf expiring now (see leaveShelf). */
export function unshelveAlarm(alarms: readonly Alarm[], id: number, user: string, nowMs: number): { alarms: Alarm[]; changed: Alarm } {
  const a = find(alarms, id);
  needUser(user);
  if (a.state !== "shelved") throw new AlarmActionError(409, `alarm ${id} is not shelved`);
  return replaced(alarms, leaveShelf(a, nowMs));
}

// What the HMI knows, in one place, with a tiny publish/subscribe so screens redraw when their data changes.

export const store = {
  me: null,            // {username, role, csrf_token, expires_at}
  state: null,         // the last /api/state
  stateWallMs: 0,      // performance.now() when it arrived
  plan: null,          // the plan in force, or null
  planError: null,     // the reason there is none (404 text) or a fetch failure
  planWallMs: 0,
  overrides: [],
  alarms: [],
  audit: [],
  targets: null,       // /api/override-targets
  reachable: true,     // the last request reached the server
  unreachableSince: null,
  stream: "off",       // live | reconnecting | polling | off
};

/** No new state for this long (wall time) and what the screens show is no longer the controller's state now. */
export const STALE_AFTER_MS = 30_000;

/**
 * Whether the last state is the controller's state now: the server answers and a state came recently. When not,
 * the header shows the mode and the links as unknown: the last values seen are not today's truth.
 */
export function stateKnown() {
  return !!store.state && store.reachable && performance.now() - store.stateWallMs <= STALE_AFTER_MS;
}

const ROLES = ["viewer", "operator", "engineer", "admin"];
export function atLeast(role) {
  return !!store.me && ROLES.indexOf(store.me.role) >= ROLES.indexOf(role);
}
export const canOperate = () => atLeast("operator");

const subs = new Map();
export function on(topic, fn) {
  if (!subs.has(topic)) subs.set(topic, new Set());
  subs.get(topic).add(fn);
}
export function emit(topic, payload) {
  for (const fn of subs.get(topic) ?? []) {
    try { fn(payload); } catch (e) { reportError(e); }
  }
}

/** Shown in the banner rather than thrown to the console. */
export function reportError(e) {
  emit("problem", e instanceof Error ? e.message : String(e));
}

// ---- the plant's clock ------------------------------------------------------------------------------------------
// The demo runs the plant accelerated and the daemon on the plant's clock, so times left and ages are judged in
// plant time: the last plant_time seen, moved on by wall time × the rate observed between states.

const samples = []; // [wallMs, plantMs]
let rate = 1;

export function notePlantTime(iso) {
  const p = Date.parse(iso);
  if (!Number.isFinite(p)) return;
  const w = performance.now();
  const last = samples[samples.length - 1];
  if (last && (p < last[1] || w - last[0] > 60_000)) samples.length = 0; // restart or long gap: start again
  samples.push([w, p]);
  while (samples.length > 2 && w - samples[1][0] > 30_000) samples.shift();
  if (samples.length > 600) samples.splice(0, samples.length - 600);
  const first = samples[0];
  const span = w - first[0];
  if (span >= 1000) {
    const r = (p - first[1]) / span;
    if (Number.isFinite(r) && r >= 0 && r < 10_000) rate = r;
  }
}

/** The plant's time now (ms), or the browser's when no state has come yet. */
export function plantNow() {
  const last = samples[samples.length - 1];
  if (!last) return Date.now();
  return last[1] + Math.min(performance.now() - last[0], 60_000) * rate;
}
export const plantRate = () => rate;
/** The plant time of the last state received (ms), or null: the clock shown once the state is unknown. */
export const lastPlantMs = () => samples[samples.length - 1]?.[1] ?? null;

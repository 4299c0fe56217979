// The header bar on every screen: the ladder's mode and cause, plant time, connections, overrides and alarms.

import { $, el, fill, fmtClock, fmtDuration } from "./util.js";
import { store, on, emit, plantNow, lastPlantMs, stateKnown } from "./store.js";

const MODE_TEXT = { optimal: "OPTIMAL", held: "HELD", rule: "RULE", safe: "SAFE" };
let known = false; // whether renderState last drew the state as the controller's state now

export function initHeader() {
  on("state", renderState);
  on("reachability", tick); // the banner and the mode at once, not at the next second
  on("stream", renderStream);
  on("problem", showProblem);
  setInterval(tick, 1000);
  renderState();
  renderStream();
}

/** Why the state is unknown, for the mode's cause line. */
const whyUnknown = () => (store.reachable ? "no new state from the controller" : "the controller's server cannot be reached");

function renderState() {
  const s = store.state;
  known = stateKnown();
  // Once the state is unknown the last one seen is not shown as the truth: the mode and the links say "unknown"
  // (not the colours of a healthy plant), and what they were last is only in the cause line and the tooltips.
  const mode = known ? s.mode ?? "" : "";
  const m = $("#mode");
  m.dataset.mode = mode || "unknown";
  m.classList.toggle("abnormal", !known || mode !== "optimal");
  m.textContent = known ? (mode === "optimal" ? "" : "⚠ ") + (MODE_TEXT[mode] ?? mode.toUpperCase()) : "? UNKNOWN";
  m.title = `Control mode (fallback ladder): ${mode || "unknown"}`;
  const lastMode = s?.mode ? ` (last known ${MODE_TEXT[s.mode] ?? s.mode}${lastPlantMs() ? ` at ${fmtClock(lastPlantMs())}` : ""})` : "";
  $("#mode-cause").textContent = known ? s.mode_cause || (mode === "optimal" ? "following the optimizer's plan" : "")
    : store.me && (s || !store.reachable) ? `${whyUnknown()}${lastMode}` : "";

  const conns = [];
  if (s?.connections) {
    if (s.connections.opcua !== undefined) conns.push(["OPC UA", s.connections.opcua]);
    for (const [name, st] of Object.entries(s.connections.plcs ?? {})) conns.push([`PLC ${name}`, st]);
  }
  const chip = ([name, st]) => {
    if (!known) {
      return el("li", { class: "conn unknown", title: `${name}: unknown (last known ${st})` },
        el("span", { class: "conn-mark", "aria-hidden": "true" }, "?"), ` ${name} `, el("span", { class: "conn-state" }, "unknown"));
    }
    return el("li", { class: st === "up" ? "conn up" : "conn down", title: `${name}: ${st}` },
      el("span", { class: "conn-mark", "aria-hidden": "true" }, st === "up" ? "●" : "✕"), ` ${name} `,
      el("span", { class: "conn-state" }, st === "up" ? "up" : st.toUpperCase()));
  };
  fill($("#connections"), conns.length ? conns.map(chip)
    : el("li", { class: known ? "conn" : "conn unknown" }, known ? "connections —" : "connections unknown"));

  const ov = s?.overrides_active;
  const ovEl = $("#overrides-count");
  fill(ovEl, "Overrides ", el("b", null, ov ?? "—"));
  ovEl.classList.toggle("attention", ov > 0);

  const un = s?.alarms_unacked;
  const alEl = $("#alarms-unacked");
  fill(alEl, un > 0 ? el("span", { class: "marker", "aria-hidden": "true" }, "◆ ") : "", "Unack. alarms ", el("b", null, un ?? "—"),
    s?.alarms_active !== undefined ? el("span", { class: "sub" }, ` / ${s.alarms_active} active`) : "");
  alEl.classList.toggle("alarm", un > 0);

  const pa = $("#plan-age");
  if (s && !known) pa.textContent = "◷ Plan stale: not known to be in force";
  else if (s && s.plan_age_s !== undefined && s.plan_age_s !== null) {
    pa.textContent = `Plan ${fmtDuration(s.plan_age_s)} old${s.plan_in_flight ? " · solving…" : ""}`;
  } else pa.textContent = s?.plan_in_flight ? "Plan: solving…" : "No plan";
  drawClock();
}

/** The plant's clock runs on from the last state only while the state is known; then it stops at that state. */
function drawClock() {
  const pt = $("#plant-time");
  const last = lastPlantMs();
  const stopped = !known && !!store.state && last !== null;
  pt.classList.toggle("stopped", stopped);
  pt.textContent = !store.state ? "—" : stopped ? `${fmtClock(last)} ◷ stopped` : known ? fmtClock(plantNow()) : "—";
  pt.title = stopped ? "the plant time of the last state received: the clock stops while the controller's state is unknown" : "";
}

function renderStream() {
  const st = $("#stream-status");
  const text = {
    live: "● Live",
    connecting: "Connecting…",
    polling: "⚠ Stream down: polling every 10 s",
    off: "Not connected",
  }[store.stream] ?? store.stream;
  st.textContent = text;
  st.classList.toggle("abnormal", store.stream === "polling");
}

function tick() {
  if (stateKnown() !== known) renderState(); else drawClock();
  const hasState = !!store.state;
  const ageMs = hasState ? performance.now() - store.stateWallMs : Infinity;
  const stale = !!store.me && (!store.reachable || (hasState && !known));
  document.body.classList.toggle("data-stale", stale);
  emit("tick", stale);
  const banner = $("#banner");
  if (!store.me) { banner.hidden = true; return; }
  if (!store.reachable) {
    showBanner(`✕ The controller's server cannot be reached${store.unreachableSince ? ` (for ${fmtDuration((performance.now() - store.unreachableSince) / 1000)})` : ""}. Values shown are old; retrying.`);
  } else if (stale) {
    showBanner(`⚠ No new state from the controller for ${fmtDuration(ageMs / 1000)}. Values shown are old.`);
  } else if (!problemUntil || performance.now() > problemUntil) {
    banner.hidden = true;
  }
}

let problemUntil = 0;
function showProblem(text) {
  problemUntil = performance.now() + 8000;
  showBanner(`⚠ ${text}`);
}
function showBanner(text) {
  const b = $("#banner");
  if (b.textContent !== text) b.textContent = text;
  b.hidden = false;
}

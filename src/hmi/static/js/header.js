// The header bar on every screen: the ladder's mode and cause, plant time, connections, overrides and alarms.

import { $, el, fill, fmtClock, fmtDuration } from "./util.js";
import { store, on, emit, plantNow } from "./store.js";

const MODE_TEXT = { optimal: "OPTIMAL", held: "HELD", rule: "RULE", safe: "SAFE" };
const STALE_AFTER_MS = 30_000;

export function initHeader() {
  on("state", renderState);
  on("stream", renderStream);
  on("problem", showProblem);
  setInterval(tick, 1000);
  renderState();
  renderStream();
}

function renderState() {
  const s = store.state;
  const mode = s?.mode ?? "";
  const m = $("#mode");
  m.dataset.mode = mode || "unknown";
  m.classList.toggle("abnormal", !!mode && mode !== "optimal");
  m.textContent = mode ? (mode === "optimal" ? "" : "⚠ ") + (MODE_TEXT[mode] ?? mode.toUpperCase()) : "—";
  m.title = `Control mode (fallback ladder): ${mode || "unknown"}`;
  $("#mode-cause").textContent = s?.mode_cause || (mode === "optimal" ? "following the optimizer's plan" : "");

  const conns = [];
  if (s?.connections) {
    if (s.connections.opcua !== undefined) conns.push(["OPC UA", s.connections.opcua]);
    for (const [name, st] of Object.entries(s.connections.plcs ?? {})) conns.push([`PLC ${name}`, st]);
  }
  fill(
    $("#connections"),
    conns.length
      ? conns.map(([name, st]) =>
          el("li", { class: st === "up" ? "conn up" : "conn down", title: `${name}: ${st}` },
            el("span", { class: "conn-mark", "aria-hidden": "true" }, st === "up" ? "●" : "✕"), ` ${name} `,
            el("span", { class: "conn-state" }, st === "up" ? "up" : st.toUpperCase())))
      : el("li", { class: "conn" }, "connections —"),
  );

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
  if (s && s.plan_age_s !== undefined && s.plan_age_s !== null) {
    pa.textContent = `Plan ${fmtDuration(s.plan_age_s)} old${s.plan_in_flight ? " · solving…" : ""}`;
  } else pa.textContent = s?.plan_in_flight ? "Plan: solving…" : "No plan";
  tick();
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
  const hasState = !!store.state;
  $("#plant-time").textContent = hasState ? fmtClock(plantNow()) : "—";
  const ageMs = hasState ? performance.now() - store.stateWallMs : Infinity;
  const stale = !!store.me && (!store.reachable || (hasState && ageMs > STALE_AFTER_MS));
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

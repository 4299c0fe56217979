// chaleur's operator HMI: login, tabs, and the wiring between the live data and the screens.
// Plain ES modules, no build step; uPlot comes as the global from /vendor/uPlot.iife.min.js.

import { $, $$, fmtTime } from "./js/util.js";
import { get, post, setCsrf, onAuthLost, onReachability } from "./js/api.js";
import { store, on, emit, reportError } from "./js/store.js";
import { startLive, stopLive, pollState } from "./js/live.js";
import { initHeader } from "./js/header.js";
import { initOverview, showOverview } from "./js/overview.js";
import { initPlan, showPlan, loadPlan } from "./js/plan.js";
import { initOverrides, showOverrides, loadOverrides, applyRole } from "./js/overrides.js";
import { initAlarms, loadAlarms } from "./js/alarms.js";
import { initAudit, showAudit } from "./js/audit.js";
import { initHistory, showHistory } from "./js/history.js";

const TABS = ["overview", "plan", "overrides", "alarms", "audit", "history"];
const SHOW = { overview: showOverview, plan: showPlan, overrides: showOverrides, audit: showAudit, history: showHistory };
let current = null;
let bootTimer = null;

// ---- tabs -------------------------------------------------------------------------------------------------------

function selectTab(name, { focus = false, push = true } = {}) {
  if (!TABS.includes(name)) name = "overview";
  for (const b of $$("[data-tab]")) {
    const on = b.dataset.tab === name;
    b.setAttribute("aria-selected", String(on));
    b.classList.toggle("active", on);
    if (on && focus) b.focus();
  }
  for (const t of TABS) $(`#panel-${t}`).hidden = t !== name;
  if (current && current !== name) SHOW[current]?.(false);
  current = name;
  SHOW[name]?.(true);
  if (push && location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

function initTabs() {
  const list = $("#tabs");
  list.addEventListener("click", (e) => {
    const b = e.target.closest("[data-tab]");
    if (b) selectTab(b.dataset.tab);
  });
  list.addEventListener("keydown", (e) => {
    const i = TABS.indexOf(document.activeElement?.dataset?.tab);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(TABS[(next + TABS.length) % TABS.length], { focus: true });
  });
  // Alt+1…6 from anywhere
  document.addEventListener("keydown", (e) => {
    if (!store.me || !e.altKey || e.ctrlKey || e.metaKey) return;
    const n = Number(e.key);
    if (n >= 1 && n <= TABS.length) { e.preventDefault(); selectTab(TABS[n - 1], { focus: true }); }
  });
  // header shortcuts to the overrides and alarms
  for (const a of $$("#topbar a[data-goto]")) {
    a.addEventListener("click", (e) => { e.preventDefault(); selectTab(a.dataset.goto, { focus: true }); });
  }
  addEventListener("hashchange", () => { if (store.me) selectTab(location.hash.slice(1), { push: false }); });
}

// ---- session ----------------------------------------------------------------------------------------------------

function showLogin(message = "") {
  stopLive();
  store.me = null;
  Object.assign(store, { state: null, plan: null, planError: null, overrides: [], alarms: [], audit: [], targets: null });
  setCsrf(null);
  document.body.classList.remove("logged-in");
  $("#app").hidden = true;
  $("#login-screen").hidden = false;
  const err = $("#login-error");
  err.textContent = message;
  err.hidden = !message;
  $("#login-password").value = "";
  emit("me", null);
  applyRole();
  showHealth();
  ($("#login-username").value ? $("#login-password") : $("#login-username")).focus();
}

// The login screen shows the controller's health (no login needed): its mode is visible on every screen.
let healthTimer = null;
async function showHealth() {
  clearTimeout(healthTimer);
  if (store.me) return;
  const out = $("#login-health");
  try {
    const h = await get("/api/health");
    const conns = h.connections ? [`OPC UA ${h.connections.opcua}`, ...Object.entries(h.connections.plcs ?? {}).map(([n, st]) => `PLC ${n} ${st}`)] : [];
    out.textContent = `Controller ${h.status ?? ""}: mode ${String(h.mode ?? "?").toUpperCase()}${h.plant_time ? ` · plant time ${fmtTime(h.plant_time, { seconds: false })}` : ""}${conns.length ? ` · ${conns.join(", ")}` : ""}`;
    out.classList.toggle("abnormal", h.status !== "ok" || (h.mode && h.mode !== "optimal"));
  } catch {
    out.textContent = "The controller's server cannot be reached.";
    out.classList.add("abnormal");
  }
  if (!store.me) healthTimer = setTimeout(showHealth, 10_000);
}

function loggedIn(me) {
  clearTimeout(healthTimer);
  hint.set(true);
  clearTimeout(bootTimer);
  store.me = me;
  setCsrf(me.csrf_token);
  document.body.classList.add("logged-in");
  document.body.dataset.role = me.role;
  $("#login-screen").hidden = true;
  $("#app").hidden = false;
  $("#user-name").textContent = me.username;
  $("#user-role").textContent = me.role;
  $("#user-role").title = me.expires_at ? `session until ${fmtTime(me.expires_at, { seconds: false })}` : "";
  emit("me", me);
  startLive();
  pollState();
  loadOverrides();
  loadAlarms();
  loadPlan();
  selectTab(location.hash.slice(1) || current || "overview", { push: false });
}

// A hint (not a secret: the session is the HttpOnly cookie) that this browser has logged in, so that a fresh
// browser shows the login form without asking /api/me first: a 401 there would log a console error.
const HINT = "chaleur.hmi.session";
const hint = {
  get: () => { try { return localStorage.getItem(HINT) === "1"; } catch { return true; } },
  set: (on) => { try { if (on) localStorage.setItem(HINT, "1"); else localStorage.removeItem(HINT); } catch { /* private mode */ } },
};

async function boot() {
  if (!hint.get()) { showLogin(); return; }
  try {
    loggedIn(await get("/api/me"));
  } catch (e) {
    if (e.status === 0) {
      showLogin("The controller's server cannot be reached. Retrying every 10 s…");
      bootTimer = setTimeout(boot, 10_000);
    } else {
      if (e.status === 401) hint.set(false);
      showLogin(e.status === 401 ? "" : e.message);
    }
  }
}

function initLogin() {
  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const username = $("#login-username").value.trim();
    const password = $("#login-password").value;
    const err = $("#login-error");
    if (!username || !password) { err.textContent = "Give your user name and password."; err.hidden = false; return; }
    const btn = $("#login-submit");
    btn.disabled = true;
    try {
      const me = await post("/api/login", { username, password });
      loggedIn(me);
    } catch (ex) {
      err.textContent = ex.status === 401 ? "Wrong user name or password." : ex.message;
      err.hidden = false;
      $("#login-password").select();
    } finally {
      btn.disabled = false;
    }
  });
  $("#logout").addEventListener("click", async () => {
    try { await post("/api/logout"); } catch { /* the session ends here either way */ }
    hint.set(false);
    showLogin("You are logged out.");
  });
}

// ---- start ------------------------------------------------------------------------------------------------------

onAuthLost(() => {
  hint.set(false);
  if (store.me) showLogin("Your session has ended: log in again.");
});
onReachability((ok) => {
  if (ok === store.reachable) return;
  store.reachable = ok;
  store.unreachableSince = ok ? null : performance.now();
  emit("reachability", ok);
});
on("resync", () => { pollState(); loadOverrides(); loadAlarms(); loadPlan(); });
on("state", (s) => {
  const n = s?.alarms_unacked;
  const badge = $("#tab-alarms-count");
  badge.textContent = n > 0 ? String(n) : "";
  badge.hidden = !(n > 0);
});
addEventListener("unhandledrejection", (e) => { e.preventDefault(); reportError(e.reason?.message ?? String(e.reason)); });

if (typeof uPlot === "undefined") reportError("The chart library (/vendor/uPlot.iife.min.js) did not load: charts are not shown.");
initTabs();
initLogin();
initHeader();
initOverview();
initPlan();
initOverrides();
initAlarms();
initAudit();
initHistory();
boot();

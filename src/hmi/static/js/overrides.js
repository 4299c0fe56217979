// Overrides: set one (operators and above), and the table of active and scheduled ones with their time left.

import { $, $$, el, fill, fmtNum, fmtTime, fmtDuration, toMs, parisLocalToMs } from "./util.js";
import { get, post } from "./api.js";
import { store, on, emit, canOperate, atLeast, plantNow, reportError } from "./store.js";
import { initClearDialog, openClearDialog } from "./override-clear.js";

let visible = false;

export function initOverrides() {
  $("#overrides-all").addEventListener("change", () => loadOverrides());
  // A row's Clear asks first (override-clear.js): one keypress never clears.
  $("#overrides-table").addEventListener("click", (e) => {
    const b = e.target.closest("button.clear");
    if (b) openClearDialog(b.closest("tr").dataset.id);
  });
  initClearDialog();
  on("overrides", () => renderTable());
  on("me", () => applyRole());
  setInterval(() => { if (visible) { tickTimes(); describeExpiry(); } }, 1000);
}

export function showOverrides(isVisible) {
  visible = isVisible;
  if (!visible) return;
  applyRole();
  if (!store.targets) loadTargets(); // the units of the table's values, and the form's choices
  renderTable();
  describeExpiry();
}

/** The form and the Clear buttons exist only for operators and above: a viewer's page has no form at all. */
export function applyRole() {
  const allowed = canOperate();
  const section = $("#override-new");
  if (!allowed) {
    section.hidden = true;
    section.replaceChildren();
  } else {
    if (!section.firstElementChild) {
      section.append($("#override-form-template").content.cloneNode(true));
      bindForm();
      fillTargets();
    }
    section.hidden = false;
    for (const b of $$("#override-presets button")) b.hidden = Number(b.dataset.min) > 1440 && !atLeast("engineer");
  }
  renderTable();
}

function bindForm() {
  $("#override-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  $("#override-target").addEventListener("change", () => fillKinds());
  $("#override-kind").addEventListener("change", () => describeKind());
  $("#override-duration-min").addEventListener("input", describeExpiry);
  $("#override-start").addEventListener("input", describeExpiry);
  for (const b of $$("#override-presets button")) {
    b.addEventListener("click", () => { $("#override-duration-min").value = b.dataset.min; describeExpiry(); });
  }
}

export async function loadTargets() {
  try {
    store.targets = await get("/api/override-targets");
  } catch (e) {
    if (e.status !== 401 && e.status !== 0 && canOperate()) showError(`Cannot read what can be overridden: ${e.message}`);
    return;
  }
  fillTargets();
  renderTable();
}

function fillTargets() {
  const sel = $("#override-target");
  if (!sel || !store.targets) return;
  fill(sel, (store.targets ?? []).map((t) => el("option", { value: t.target }, t.label ? `${t.label} (${t.target})` : t.target)));
  fillKinds();
}

function currentTarget() {
  return (store.targets ?? []).find((t) => t.target === $("#override-target").value);
}
function currentKind() {
  return currentTarget()?.kinds?.find((k) => k.kind === $("#override-kind").value);
}
/** A kind takes a value when it has a unit or limits (force-off and lock-out kinds have none). */
const takesValue = (k) => !!k && ((k.unit !== null && k.unit !== undefined && k.unit !== "") || Number.isFinite(k.min) || Number.isFinite(k.max));

function fillKinds() {
  const t = currentTarget();
  fill($("#override-kind"), (t?.kinds ?? []).map((k) => el("option", { value: k.kind }, k.kind.replace(/_/g, " ") + (k.unit ? ` (${k.unit})` : ""))));
  describeKind();
}

function describeKind() {
  const k = currentKind();
  const input = $("#override-value");
  const needs = takesValue(k);
  $("#override-value-row").hidden = !needs;
  input.disabled = !needs;
  $("#override-unit").textContent = k?.unit ?? "";
  if (Number.isFinite(k?.min)) input.min = k.min; else input.removeAttribute("min");
  if (Number.isFinite(k?.max)) input.max = k.max; else input.removeAttribute("max");
  $("#override-range").textContent = needs && (Number.isFinite(k.min) || Number.isFinite(k.max))
    ? `limits ${fmtNum(k.min, k.unit ?? "")} to ${fmtNum(k.max, k.unit ?? "")}` : "";
}

function startMs() {
  const v = $("#override-start")?.value;
  return v ? parisLocalToMs(v) : NaN;
}

function describeExpiry() {
  const out = $("#override-expiry-text");
  if (!out) return;
  const min = Number($("#override-duration-min").value);
  if (!Number.isFinite(min) || min <= 0) { out.textContent = "Give a duration in minutes."; return; }
  const start = Number.isFinite(startMs()) ? startMs() : plantNow();
  out.textContent = `= ${fmtDuration(min * 60)}, until ${fmtTime(start + min * 60_000, { seconds: false })} (Paris time${Number.isFinite(startMs()) ? "" : ", from now in plant time"})`;
}

function showError(text) {
  const box = $("#override-error");
  if (!box) { reportError(text); return; }
  box.textContent = text;
  box.hidden = !text;
}

async function submit() {
  showError("");
  $("#override-ok").textContent = "";
  const k = currentKind();
  const body = { target: $("#override-target").value, kind: $("#override-kind").value };
  if (!body.target || !body.kind) { showError("Choose what to override and how."); return; }
  if (takesValue(k)) {
    const raw = $("#override-value").value.trim();
    if (raw === "" || !Number.isFinite(Number(raw))) { showError(`Give a value${k.unit ? ` in ${k.unit}` : ""}.`); return; }
    body.value = Number(raw);
  }
  const min = Number($("#override-duration-min").value);
  if (!Number.isFinite(min) || min <= 0) { showError("Give a duration in minutes."); return; }
  const reason = $("#override-reason").value.trim();
  if (!reason) { showError("Give a reason: it goes to the audit log."); $("#override-reason").focus(); return; }
  body.reason = reason;
  const start = startMs();
  if (Number.isFinite(start)) {
    body.start = new Date(start).toISOString();
    body.expiry = new Date(start + min * 60_000).toISOString();
  } else body.duration_min = min;
  const btn = $("#override-submit");
  btn.disabled = true;
  try {
    const o = await post("/api/overrides", body);
    $("#override-ok").textContent = `Override #${o?.id ?? ""} set on ${body.target} until ${fmtTime(o?.expiry, { seconds: false })}.`;
    $("#override-reason").value = "";
    if (o && o.id !== undefined) {
      const i = store.overrides.findIndex((x) => String(x.id) === String(o.id));
      if (i >= 0) store.overrides[i] = o; else store.overrides.unshift(o);
      emit("overrides", { action: "created", override: o });
    }
  } catch (e) {
    if (e.status !== 401) showError(e.message);
  } finally {
    btn.disabled = false;
  }
}

export async function loadOverrides() {
  const all = !!$("#overrides-all")?.checked;
  store.overridesAll = all;
  try {
    const list = await get(`/api/overrides${all ? "?all=true" : ""}`);
    store.overrides = Array.isArray(list) ? list : [];
    emit("overrides", null);
  } catch (e) {
    if (e.status !== 401 && e.status !== 0) reportError(`Overrides: ${e.message}`);
  }
}

const ORDER = { active: 0, scheduled: 1, expired: 2, cleared: 3 };
function renderTable() {
  const allowed = canOperate();
  $("#overrides-table thead th.actions").hidden = !allowed;
  const rows = [...store.overrides].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || toMs(a.expiry) - toMs(b.expiry));
  const body = $("#overrides-table tbody");
  if (!rows.length) {
    fill(body, el("tr", null, el("td", { colspan: allowed ? 10 : 9, class: "empty" }, "No active or scheduled override: the optimizer decides freely.")));
    return;
  }
  fill(body, rows.map((o) => {
    const open = o.status === "active" || o.status === "scheduled";
    return el("tr", { dataset: { id: String(o.id) }, class: `st-${o.status}` },
      el("td", { class: "num" }, `#${o.id}`),
      el("td", null, o.target),
      el("td", null, String(o.kind).replace(/_/g, " ")),
      el("td", { class: "num" }, o.value === null || o.value === undefined ? "—" : fmtNum(o.value, unitFor(o))),
      el("td", null, fmtTime(o.start, { seconds: false })),
      el("td", null, fmtTime(o.expiry, { seconds: false })),
      el("td", { class: "num time-left", dataset: { start: o.start, expiry: o.expiry, status: o.status } }, ""),
      el("td", { class: "status" }, o.status === "cleared" && o.cleared_by ? `cleared by ${o.cleared_by}` : o.status),
      el("td", { class: "who" }, el("div", null, o.author), el("div", { class: "reason" }, o.reason)),
      allowed ? el("td", { class: "actions" }, open ? el("button", { type: "button", class: "clear", "aria-haspopup": "dialog", "aria-label": `Clear override ${o.id} on ${o.target}…` }, "Clear…") : "") : null);
  }));
  tickTimes();
}

function unitFor(o) {
  const t = (store.targets ?? []).find((x) => x.target === o.target);
  return t?.kinds?.find((k) => k.kind === o.kind)?.unit ?? "";
}

let lastRefetch = 0;
function tickTimes() {
  const now = plantNow();
  // an override whose time has come (expiry, or start of a scheduled one): ask the server, at most every 5 s,
  // in case its event was missed
  const due = store.overrides.some((o) => (o.status === "active" && toMs(o.expiry) < now) || (o.status === "scheduled" && toMs(o.start) < now));
  if (due && performance.now() - lastRefetch > 5000) { lastRefetch = performance.now(); loadOverrides(); }
  for (const td of $$("#overrides-table td.time-left")) {
    const { start, expiry, status } = td.dataset;
    // the server's status decides; the plant clock only counts down
    if (status === "scheduled") td.textContent = toMs(start) > now ? `starts in ${fmtDuration((toMs(start) - now) / 1000)}` : "starting";
    else if (status === "active") td.textContent = fmtDuration(Math.max(0, (toMs(expiry) - now) / 1000));
    else td.textContent = "—";
  }
}

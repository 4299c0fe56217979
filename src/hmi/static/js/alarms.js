// Alarms (ISA-18.2): sorted by priority then time, acknowledge (one, or all listed), shelve with a duration and a
// reason, unshelve.

import { $, $$, el, fill, fmtTime, toMs } from "./util.js";
import { get, post } from "./api.js";
import { store, on, emit, canOperate, reportError } from "./store.js";

const PRIORITY = { high: 0, medium: 1, low: 2 };
const PRIORITY_MARK = { high: "◆", medium: "▲", low: "●" };
const STATE_TEXT = {
  unack: "Active · unacknowledged",
  ack: "Active · acknowledged",
  rtn_unack: "Returned to normal · unacknowledged",
  shelved: "Shelved",
  closed: "Closed",
};

let shelving = null; // the id of the alarm being shelved
let acking = false;   // an acknowledge-all in flight (a redraw meanwhile must not enable its button again)

export function initAlarms() {
  $("#alarms-all").addEventListener("change", () => loadAlarms());
  $("#alarms-table").addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    const id = b.closest("tr")?.dataset.id;
    if (b.classList.contains("ack")) act(id, "ack", b);
    else if (b.classList.contains("unshelve")) act(id, "unshelve", b);
    else if (b.classList.contains("shelve")) openShelve(id);
  });
  $("#alarms-ack-all").addEventListener("click", ackAll);
  const dlg = $("#shelve-dialog");
  $("#shelve-form").addEventListener("submit", (e) => { e.preventDefault(); submitShelve(); });
  $("#shelve-cancel").addEventListener("click", () => dlg.close());
  dlg.addEventListener("close", () => { shelving = null; });
  on("alarms", render);
  on("me", render);
}

export async function loadAlarms() {
  const all = !!$("#alarms-all").checked;
  store.alarmsAll = all;
  try {
    const list = await get(`/api/alarms${all ? "?all=true" : ""}`);
    store.alarms = Array.isArray(list) ? list : [];
    emit("alarms", null);
  } catch (e) {
    if (e.status !== 401 && e.status !== 0) reportError(`Alarms: ${e.message}`);
  }
}

function showError(text) {
  const box = $("#alarms-error");
  box.textContent = text;
  box.hidden = !text;
}

/** The unacknowledged alarms in the table now: acknowledge-all acts on what the operator sees, not on what came since. */
function listedUnacked() {
  return $$("#alarms-table tbody tr[data-id]")
    .filter((r) => r.dataset.state === "unack" || r.dataset.state === "rtn_unack")
    .map((r) => Number(r.dataset.id));
}

async function ackAll() {
  const btn = $("#alarms-ack-all");
  const ids = listedUnacked();
  if (!ids.length) return;
  showError("");
  $("#alarms-ok").textContent = "";
  const hadFocus = document.activeElement === btn;
  acking = true;
  btn.disabled = true;
  try {
    const r = await post("/api/alarms/ack", { ids });
    for (const a of r?.acked ?? []) replace(a);
    const skipped = r?.skipped ?? [];
    $("#alarms-ok").textContent = `${(r?.acked ?? []).length} of ${ids.length} listed alarm${ids.length === 1 ? "" : "s"} acknowledged.`;
    if (skipped.length) showError(`Not acknowledged: ${skipped.map((x) => `alarm ${x.id} (${x.reason})`).join("; ")}`);
  } catch (e) {
    if (e.status !== 401) showError(`Acknowledge all: ${e.message}`);
  } finally {
    acking = false;
    render();
    // a button that just went disabled drops the keyboard on the page's body: keep it in the alarm list
    if (hadFocus && btn.disabled) $("#alarms-heading").focus();
  }
}

async function act(id, what, button) {
  showError("");
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  try {
    const a = await post(`/api/alarms/${encodeURIComponent(id)}/${what}`);
    replace(a);
    if (hadFocus && (!button.isConnected || document.activeElement === document.body)) refocus(id);
  } catch (e) {
    button.disabled = false;
    if (e.status !== 401) showError(`Alarm ${id}: ${e.message}`);
  }
}

/** Keeps the keyboard where it was: the row's next button, else the table. */
function refocus(id) {
  const row = document.querySelector(`#alarms-table tr[data-id="${CSS.escape(String(id))}"]`);
  const target = row?.querySelector("button") ?? $("#alarms-table");
  if (target === $("#alarms-table")) target.tabIndex = -1;
  target.focus();
}

function replace(a) {
  if (!a || a.id === undefined) return;
  const i = store.alarms.findIndex((x) => String(x.id) === String(a.id));
  const keep = store.alarmsAll || a.state !== "closed";
  if (i >= 0) { if (keep) store.alarms[i] = a; else store.alarms.splice(i, 1); } else if (keep) store.alarms.unshift(a);
  emit("alarms", a);
}

function openShelve(id) {
  const a = store.alarms.find((x) => String(x.id) === String(id));
  shelving = id;
  $("#shelve-what").textContent = a ? `${a.code ?? ""} ${a.message ?? ""}`.trim() : `Alarm ${id}`;
  $("#shelve-error").hidden = true;
  $("#shelve-error").textContent = "";
  $("#shelve-duration-min").value = "60";
  $("#shelve-reason").value = "";
  $("#alarms-ack-all").addEventListener("click", ackAll);
  const dlg = $("#shelve-dialog");
  dlg.showModal();
  $("#shelve-duration-min").focus();
}

async function submitShelve() {
  const err = $("#shelve-error");
  const fail = (t) => { err.textContent = t; err.hidden = false; };
  const duration = Number($("#shelve-duration-min").value);
  const reason = $("#shelve-reason").value.trim();
  if (!Number.isFinite(duration) || duration <= 0) return fail("Give a duration in minutes (at most 24 h = 1,440 min).");
  if (!reason) return fail("Give a reason: it goes to the audit log.");
  const id = shelving;
  const btn = $("#shelve-submit");
  btn.disabled = true;
  try {
    const a = await post(`/api/alarms/${encodeURIComponent(id)}/shelve`, { duration_min: duration, reason });
    $("#alarms-ack-all").addEventListener("click", ackAll);
  const dlg = $("#shelve-dialog");
    dlg.close();
    replace(a);
    refocus(id);
  } catch (e) {
    if (e.status !== 401) fail(e.message);
  } finally {
    btn.disabled = false;
  }
}

function render() {
  const allowed = canOperate();
  $("#alarms-table thead th.actions").hidden = !allowed;
  const body = $("#alarms-table tbody");
  const rows = [...store.alarms].sort((a, b) =>
    (PRIORITY[a.priority] ?? 9) - (PRIORITY[b.priority] ?? 9) || toMs(b.raised) - toMs(a.raised));
  const unacked = rows.filter((a) => a.state === "unack" || a.state === "rtn_unack").length;
  const ackAllBtn = $("#alarms-ack-all");
  ackAllBtn.hidden = !allowed;
  ackAllBtn.disabled = acking || !unacked;
  ackAllBtn.textContent = `Acknowledge all listed (${unacked})`;
  $("#alarms-summary").textContent = rows.length
    ? `${rows.length} alarm${rows.length === 1 ? "" : "s"}, ${unacked} unacknowledged`
    : "";
  if (!rows.length) {
    fill(body, el("tr", null, el("td", { colspan: allowed ? 7 : 6, class: "empty" }, "No alarm.")));
    return;
  }
  fill(body, rows.map((a) => {
    const p = a.priority ?? "low";
    const unack = a.state === "unack" || a.state === "rtn_unack";
    const buttons = [];
    if (allowed) {
      if (unack) buttons.push(el("button", { type: "button", class: "ack", "aria-label": `Acknowledge ${a.code ?? a.id}` }, "Acknowledge"));
      if (a.state === "shelved") buttons.push(el("button", { type: "button", class: "unshelve", "aria-label": `Unshelve ${a.code ?? a.id}` }, "Unshelve"));
      else if (a.state !== "closed") buttons.push(el("button", { type: "button", class: "shelve", "aria-label": `Shelve ${a.code ?? a.id}` }, "Shelve…"));
    }
    return el("tr", { dataset: { id: String(a.id), priority: p, state: a.state }, class: `alarm-row pr-${p} st-${a.state}${unack ? " unacked" : ""}` },
      el("td", { class: "prio" }, el("span", { class: `prio-badge pr-${p}` }, el("span", { class: "shape", "aria-hidden": "true" }, PRIORITY_MARK[p] ?? "●"), ` ${p.toUpperCase()}`)),
      el("td", { class: "state" }, STATE_TEXT[a.state] ?? a.state,
        a.state === "shelved" && a.shelved_until ? el("div", { class: "sub" }, `until ${fmtTime(a.shelved_until, { seconds: false })} by ${a.shelved_by ?? "?"}: ${a.shelve_reason ?? ""}`) : null,
        a.acked_by ? el("div", { class: "sub" }, `acknowledged by ${a.acked_by}${a.acked ? ` ${fmtTime(a.acked, { seconds: false, date: false })}` : ""}`) : null),
      el("td", { class: "time" }, fmtTime(a.raised), a.cleared ? el("div", { class: "sub" }, `cleared ${fmtTime(a.cleared)}`) : null),
      el("td", { class: "source" }, a.source ?? "", el("div", { class: "sub" }, a.code ?? "")),
      el("td", { class: "message" }, a.message ?? ""),
      el("td", { class: "action-text" }, a.action ?? ""),
      allowed ? el("td", { class: "actions" }, buttons) : null);
  }));
}

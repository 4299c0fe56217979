// Clearing an override before its expiry. A row's Clear only opens this dialog: it names the override (a lock-out
// plainly), Cancel has the focus, and only the dialog's own Clear button sends the clear, with a reason. Once three
// Enters cleared three overrides, a maintenance lock-out among them: so after a clear or a cancel the keyboard goes
// to the list's heading, never to another row's Clear.

import { $, fmtTime } from "./util.js";
import { del } from "./api.js";
import { store, emit } from "./store.js";

const MIN_REASON = 3; // the API refuses a shorter reason (DELETE /api/overrides/:id)
let clearing = null;  // the override shown in the dialog
let busy = false;

export function initClearDialog() {
  const dlg = $("#clear-dialog");
  // No implicit submission: Enter in the reason field must not clear (the Clear button does, on purpose).
  $("#clear-form").addEventListener("submit", (e) => e.preventDefault());
  $("#clear-confirm").addEventListener("click", submit);
  $("#clear-cancel").addEventListener("click", () => dlg.close());
  // Escape, Cancel and a done clear all end here.
  dlg.addEventListener("close", () => {
    clearing = null;
    const h = $("#overrides-heading");
    if (h.offsetParent) h.focus(); // unless the user has gone to another screen meanwhile
  });
}

function kindText(o) {
  const t = (store.targets ?? []).find((x) => x.target === o.target);
  return t?.kinds?.find((k) => k.kind === o.kind)?.label ?? String(o.kind).replace(/_/g, " ");
}

export function openClearDialog(id) {
  const o = store.overrides.find((x) => String(x.id) === String(id));
  if (!o) return;
  clearing = o;
  const lockout = o.kind === "lockout";
  $("#clear-title").textContent = lockout ? `Clear the maintenance LOCK-OUT on ${o.target}?` : `Clear override #${o.id} on ${o.target}?`;
  $("#clear-what").textContent = `#${o.id} · ${o.target} · ${kindText(o)}${o.value === null || o.value === undefined ? "" : ` ${o.value}`}`
    + ` · until ${fmtTime(o.expiry, { seconds: false })} · set by ${o.author}: “${o.reason}”`;
  const warn = $("#clear-lockout");
  warn.hidden = !lockout;
  warn.textContent = lockout
    ? `⚠ This is a maintenance lock-out: ${o.target} may be open for work. Clearing it lets chaleur start ${o.target} again. `
      + `Only its author (${o.author}), an engineer or an admin may clear it.`
    : "";
  $("#clear-confirm").textContent = lockout ? "Clear lock-out" : "Clear override";
  $("#clear-reason").value = "";
  showError("");
  // The browser gives the focus back, on close, to what had it before showModal: make that the heading, so that
  // even a key pressed before the close event (a held Enter) cannot land on a Clear.
  $("#overrides-heading").focus();
  $("#clear-dialog").showModal();
  $("#clear-cancel").focus(); // the safe choice is where the keyboard starts
}

function showError(text) {
  const box = $("#clear-error");
  box.textContent = text;
  box.hidden = !text;
}

async function submit() {
  if (!clearing || busy) return;
  const reason = $("#clear-reason").value.trim();
  if (reason.length < MIN_REASON) {
    showError(`Give a reason (at least ${MIN_REASON} characters): it goes to the audit log.`);
    $("#clear-reason").focus();
    return;
  }
  const id = clearing.id;
  const btn = $("#clear-confirm");
  busy = true;
  btn.disabled = true;
  try {
    const o = await del(`/api/overrides/${encodeURIComponent(id)}`, { reason });
    const i = store.overrides.findIndex((x) => String(x.id) === String(id));
    if (i >= 0) {
      if (store.overridesAll && o) store.overrides[i] = o; else store.overrides.splice(i, 1);
    }
    emit("overrides", { action: "cleared", override: o });
    $("#clear-dialog").close();
  } catch (e) {
    // e.g. 403: an operator clearing someone else's lock-out; 409: it expired or was cleared meanwhile
    if (e.status !== 401) showError(`Override #${id} not cleared: ${e.message}`);
  } finally {
    busy = false;
    btn.disabled = false;
  }
}

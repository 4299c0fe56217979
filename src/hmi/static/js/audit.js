// Audit: the append-only log (who, when, what, old, new, why), newest first, with a CSV download.

import { $, el, fill, fmtTime, fmtAny, toMs } from "./util.js";
import { get } from "./api.js";
import { store, on, plantNow, reportError } from "./store.js";

const MAX_ROWS = 1000;
let visible = false;
let loaded = false;

export function initAudit() {
  $("#audit-period").addEventListener("change", () => loadAudit());
  $("#audit-refresh").addEventListener("click", () => loadAudit());
  on("audit-entry", (entry) => {
    if (!loaded) return;
    const { from } = period();
    if (Number.isFinite(from) && toMs(entry.time) < from) return;
    if (store.audit.some((x) => x.id !== undefined && String(x.id) === String(entry.id))) return;
    store.audit.unshift(entry);
    if (visible) render();
  });
}

export function showAudit(isVisible) {
  visible = isVisible;
  if (visible) loadAudit();
}

function period() {
  const h = Number($("#audit-period").value);
  return { from: h > 0 ? plantNow() - h * 3600_000 : NaN };
}

export async function loadAudit() {
  const { from } = period();
  const q = new URLSearchParams();
  if (Number.isFinite(from)) q.set("from", new Date(from).toISOString());
  const csv = new URLSearchParams(q);
  csv.set("format", "csv");
  $("#audit-csv").href = `/api/audit?${csv}`;
  try {
    const list = await get(`/api/audit${q.size ? `?${q}` : ""}`);
    store.audit = Array.isArray(list) ? list : [];
    loaded = true;
    render();
  } catch (e) {
    if (e.status !== 401 && e.status !== 0) reportError(`Audit: ${e.message}`);
  }
}

function render() {
  const rows = [...store.audit].sort((a, b) => toMs(b.time) - toMs(a.time));
  const shown = rows.slice(0, MAX_ROWS);
  $("#audit-count").textContent = rows.length > MAX_ROWS
    ? `newest ${MAX_ROWS} of ${rows.length} entries (all in the CSV)` : `${rows.length} entr${rows.length === 1 ? "y" : "ies"}`;
  const body = $("#audit-table tbody");
  if (!shown.length) { fill(body, el("tr", null, el("td", { colspan: 7, class: "empty" }, "No entry in this period."))); return; }
  fill(body, shown.map((a) => el("tr", { dataset: { id: String(a.id ?? "") } },
    el("td", { class: "time" }, el("time", { datetime: a.time }, fmtTime(a.time))),
    el("td", null, a.actor ?? "—"),
    el("td", null, a.action ?? "—"),
    el("td", null, a.target ?? "—"),
    el("td", { class: "val" }, fmtAny(a.old_value)),
    el("td", { class: "val" }, fmtAny(a.new_value)),
    el("td", { class: "reason" }, a.reason ?? "—"))));
}

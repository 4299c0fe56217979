// Live data: the server-sent events at /api/events, with a poll of /api/state every 10 s while the stream is down.

import { get, noteReachable } from "./api.js";
import { store, emit, notePlantTime, reportError } from "./store.js";

const POLL_MS = 10_000;
const RETRY_MS = 15_000;

let es = null;
let pollTimer = null;
let retryTimer = null;
let wasOpen = false;

export function acceptState(s) {
  if (!s || typeof s !== "object") return;
  store.state = s;
  store.stateWallMs = performance.now();
  notePlantTime(s.plant_time);
  emit("state", s);
}

export function acceptPlan(p) {
  store.plan = p;
  store.planError = null;
  store.planWallMs = performance.now();
  emit("plan", p);
}

function upsert(list, item, keep) {
  const i = list.findIndex((x) => String(x.id) === String(item.id));
  if (!keep) {
    if (i >= 0) list.splice(i, 1);
  } else if (i >= 0) list[i] = item;
  else list.unshift(item);
}

const handlers = {
  state: acceptState,
  plan: acceptPlan,
  override: (ev) => {
    const o = ev && ev.override;
    if (!o) return;
    const open = ev.action === "created" && o.status !== "cleared" && o.status !== "expired";
    if (!store.overridesAll) upsert(store.overrides, o, open);
    else upsert(store.overrides, o, true);
    emit("overrides", ev);
  },
  alarm: (a) => {
    if (!a || a.id === undefined) return;
    upsert(store.alarms, a, store.alarmsAll || a.state !== "closed");
    emit("alarms", a);
  },
  audit: (entry) => {
    if (!entry) return;
    emit("audit-entry", entry);
  },
};

function setStream(s) {
  if (store.stream === s) return;
  store.stream = s;
  emit("stream", s);
}

export async function pollState() {
  try {
    acceptState(await get("/api/state"));
  } catch (e) {
    if (e.status !== 401 && e.status !== 0) reportError(e);
  }
}

function startPoll() {
  if (pollTimer) return;
  pollTimer = setInterval(pollState, POLL_MS);
  pollState();
}
function stopPoll() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  try {
    es = new EventSource("/api/events");
  } catch {
    setStream("polling");
    startPoll();
    retryTimer = setTimeout(connect, RETRY_MS);
    return;
  }
  setStream(store.stream === "off" ? "connecting" : store.stream);
  es.addEventListener("open", () => {
    setStream("live");
    stopPoll();
    if (wasOpen) emit("resync"); // events may have been missed while the stream was down
    wasOpen = true;
  });
  es.addEventListener("error", () => {
    // The browser retries by itself unless the stream is CLOSED (e.g. a 401 or a wrong content type).
    setStream("polling");
    startPoll();
    if (es && es.readyState === EventSource.CLOSED) {
      es.close();
      es = null;
      retryTimer = setTimeout(connect, RETRY_MS);
    }
  });
  for (const [type, fn] of Object.entries(handlers)) {
    es.addEventListener(type, (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      noteReachable();
      try { fn(data); } catch (err) { reportError(err); }
    });
  }
}

export function startLive() {
  stopLive();
  wasOpen = false;
  connect();
}

export function stopLive() {
  if (es) es.close();
  es = null;
  stopPoll();
  clearTimeout(retryTimer);
  retryTimer = null;
  setStream("off");
}

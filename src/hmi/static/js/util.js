// Small helpers shared by the HMI's screens: DOM building, numbers with units, Europe/Paris times.

export const TZ = "Europe/Paris";

/** Builds an element: el("td", { class: "num", dataset: { id: 3 } }, "text", childNode…). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "style" && typeof v === "object") Object.assign(node.style, v); // CSSOM: allowed under a strict CSP
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, "");
      else node.setAttribute(k, String(v));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** Replaces a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// ---- numbers ----------------------------------------------------------------------------------------------------

const nfCache = new Map();
function nf(digits) {
  let f = nfCache.get(digits);
  if (!f) {
    f = new Intl.NumberFormat("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    nfCache.set(digits, f);
  }
  return f;
}

/** Digits that suit a unit: powers and energies as integers, temperatures to 0.1. */
export function digitsFor(unit, v) {
  if (unit === "") return Number.isInteger(v) ? 0 : 2;
  if (unit === "°C" || unit === "COP") return 1;
  if (unit === "€/MWh" || unit === "€") return 1;
  if (unit === "%") return 1;
  if (typeof v === "number" && Math.abs(v) < 10 && v !== 0 && (unit === "kW" || unit === "kWh")) return 1;
  return 0;
}

/** "1,234 kW" (narrow no-break space before the unit); "—" for null. */
export function fmtNum(v, unit = "", digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (typeof v === "boolean") return v ? "on" : "off";
  if (typeof v !== "number") return String(v);
  const d = digits ?? digitsFor(unit, v);
  const s = nf(d).format(v);
  return unit ? `${s}\u202f${unit}` : s;
}

/** The unit of a measurement tag or history column from its name (`dh.sold_kw`, `gh_temp_c`, `price_el_eur_mwh`). */
export function unitOf(name) {
  const n = String(name).toLowerCase();
  if (/(^|[._])(running|available|on)$/.test(n)) return "bool";
  if (/eur_mwh$/.test(n)) return "€/MWh";
  if (/eur$/.test(n)) return "€";
  if (/kwh$/.test(n)) return "kWh";
  if (/mwh$/.test(n)) return "MWh";
  if (/kw$/.test(n)) return "kW";
  if (/w_m2$/.test(n)) return "W/m²";
  if (/(temp_c|_c)$/.test(n)) return "°C";
  if (/pct$/.test(n)) return "%";
  if (/cop$/.test(n)) return "COP";
  if (/(state_s|_s)$/.test(n)) return "s";
  return "";
}

/** A measurement value with its unit; booleans as on/off; durations in seconds as h/min. */
export function fmtTagValue(tag, value) {
  if (value === null || value === undefined) return "—";
  const u = unitOf(tag);
  if (u === "bool") return value ? "on" : "off";
  if (u === "s") return fmtDuration(value);
  if (u === "COP") return fmtNum(value, "", 2);
  return fmtNum(value, u);
}

/** 42 → "42 s", 3900 → "1 h 05 min", 200000 → "2 d 7 h". */
export function fmtDuration(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return "—";
  const neg = s < 0;
  let a = Math.abs(Math.round(s));
  let out;
  if (a < 60) out = `${a} s`;
  else if (a < 3600) {
    const m = Math.floor(a / 60);
    const r = a % 60;
    out = m < 10 && r ? `${m} min ${String(r).padStart(2, "0")} s` : `${m} min`;
  } else if (a < 86400) {
    const h = Math.floor(a / 3600);
    a -= h * 3600;
    out = `${h} h ${String(Math.floor(a / 60)).padStart(2, "0")} min`;
  } else {
    const d = Math.floor(a / 86400);
    out = `${d} d ${Math.floor((a - d * 86400) / 3600)} h`;
  }
  return neg ? `−${out}` : out;
}

// ---- times (UTC inside, Europe/Paris for people) ----------------------------------------------------------------

const partsFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});
const zoneFmt = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, timeZoneName: "short" });
const dayFmt = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, weekday: "short", day: "numeric", month: "short" });

function parisParts(ms) {
  const p = {};
  for (const { type, value } of partsFmt.formatToParts(new Date(ms))) p[type] = value;
  return p;
}

export function toMs(t) {
  if (t === null || t === undefined || t === "") return NaN;
  if (typeof t === "number") return t;
  return Date.parse(t);
}

/** "2026-11-30 14:05:12" in Paris time (seconds optional). */
export function fmtTime(t, { seconds = true, date = true } = {}) {
  const ms = toMs(t);
  if (!Number.isFinite(ms)) return "—";
  const p = parisParts(ms);
  const time = `${p.hour}:${p.minute}${seconds ? `:${p.second}` : ""}`;
  return date ? `${p.year}-${p.month}-${p.day} ${time}` : time;
}

/** "Mon 30 Nov". */
export function fmtDay(t) {
  const ms = toMs(t);
  return Number.isFinite(ms) ? dayFmt.format(new Date(ms)) : "—";
}

/** "Mon 30 Nov 14:05:12 CET". */
export function fmtClock(t) {
  const ms = toMs(t);
  if (!Number.isFinite(ms)) return "—";
  const zone = zoneFmt.formatToParts(new Date(ms)).find((x) => x.type === "timeZoneName")?.value ?? "";
  return `${dayFmt.format(new Date(ms))} ${fmtTime(ms, { date: false })} ${zone}`;
}

/** Paris UTC offset (ms) at an instant. */
function parisOffsetMs(ms) {
  const p = parisParts(ms);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** A `datetime-local` value read as Paris time → UTC ms (NaN when empty or malformed). */
export function parisLocalToMs(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || "");
  if (!m) return NaN;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let utc = guess - parisOffsetMs(guess);
  const off2 = parisOffsetMs(utc);
  if (guess - off2 !== utc) utc = guess - off2;
  return utc;
}

/** UTC ms → a `datetime-local` value in Paris time. */
export function msToParisLocal(ms) {
  if (!Number.isFinite(ms)) return "";
  const p = parisParts(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Debounces calls to at most one per `ms`, always running the last one. */
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  return (...args) => {
    const now = performance.now();
    const run = () => { last = performance.now(); timer = null; fn(...args); };
    if (timer) clearTimeout(timer);
    if (now - last >= ms) run();
    else timer = setTimeout(run, ms - (now - last));
  };
}

/** A short JSON-ish text for audit values (objects, numbers, null). */
export function fmtAny(v) {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "number") return fmtNum(v, "", Number.isInteger(v) ? 0 : 2);
  if (typeof v === "string") return v;
  try { return JSON.stringify(v); } catch { return String(v); }
}

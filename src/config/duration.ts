/** ISO 8601 durations as used in scenario files: PnW, PnDTnHnMnS (no years or months: their length varies). */
const RE = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDurationS(text: string): number | null {
  const m = RE.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return null;
  const [, w, d, h, min, s] = m;
  const n = (x: string | undefined) => (x ? Number(x) : 0);
  return n(w) * 604800 + n(d) * 86400 + n(h) * 3600 + n(min) * 60 + n(s);
}

/** ISO 8601 date-time with an explicit offset or Z; naive local times are ambiguous around DST and refused. */
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstantMs(text: string): number | null {
  if (!DATETIME_RE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** ISO 8601 durations as used in scenario files: PnW, PnDTnHnMnS (no years or months: their length varies). */
const RE = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDurationS(text: string): number | null {
  const m = RE.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return null;
  const [, w, d, h, min, s] = m;
  const n = (x: string | undefined) => (x ? Number(x) : 0);
  return n(w) * 604800 + n(d) * 86400 + n(h) * 3600 + n(min) * 60 + n(s);
}

/**
 * Why a duration text is refused, as what was expected, or null if it is a positive duration of at most `maxS`.
 * Years and months get their own message: they are ISO 8601, but their length varies, so a plant file cannot use them.
 */
export function durationProblem(text: string, maxS = Infinity, maxText = ""): string | null {
  if (/^P(?:\d+(?:\.\d+)?[YM])/.test(text) || /^P[^T]*\d(?:\.\d+)?[YM]/.test(text)) {
    return `a duration in weeks, days, hours, minutes or seconds, e.g. P365D (years and months are not supported: their length varies; got '${text}')`;
  }
  const s = parseDurationS(text);
  if (s === null) return `an ISO 8601 duration, e.g. P7D or PT6H (got '${text}')`;
  if (s <= 0) return `a positive duration (got '${text}')`;
  if (s > maxS) return `a duration of at most ${maxText} (got '${text}')`;
  return null;
}

/** ISO 8601 date-time with an explicit offset or Z; naive local times are ambiguous around DST and refused. */
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstantMs(text: string): number | null {
  if (!DATETIME_RE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

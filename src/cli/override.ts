import { InputError } from "../config/errors.ts";
import { apiCall, refused, type ApiClientOptions } from "./api-client.ts";

/**
 * `chaleur override set|list|clear`: overrides through the daemon's API (so they are checked, planned around and
 * audited exactly as from the HMI), as the user api-client.ts logs in as (a kept session, $CHALEUR_TOKEN, or
 * --user with $CHALEUR_PASSWORD).
 */
export interface OverrideSetOptions extends ApiClientOptions {
  target: string;
  kind: string;
  value?: string;
  for?: string;
  until?: string;
  start?: string;
  reason: string;
}

/** "90m", "2h", "1h30m", "45" (minutes) → minutes. */
export function parseMinutes(text: string): number | null {
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?:in)?)?$/.exec(text.trim());
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (!m || (!m[1] && !m[2])) return null;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

export async function overrideSet(o: OverrideSetOptions): Promise<string> {
  if ((o.for === undefined) === (o.until === undefined)) throw new InputError("--for/--until", "", "exactly one of --for (e.g. 90m, 2h) and --until (ISO 8601 time)");
  const body: Record<string, unknown> = { target: o.target, kind: o.kind, reason: o.reason };
  if (o.value !== undefined) {
    const v = Number(o.value);
    if (!Number.isFinite(v)) throw new InputError("--value", "", "a number of kW", `got '${o.value}'`);
    body.value = v;
  }
  if (o.for !== undefined) {
    const min = parseMinutes(o.for);
    if (min === null || !(min > 0)) throw new InputError("--for", "", "a duration such as 90m, 2h or 1h30m", `got '${o.for}'`);
    body.duration_min = min;
  } else body.expiry = o.until;
  if (o.start !== undefined) body.start = o.start;
  const a = await apiCall(o, "POST", "/api/overrides", body);
  if (a.status !== 201) refused("override set", a);
  return `override #${a.body.id} ${describe(a.body)}: ${a.body.status}, until ${a.body.expiry}`;
}

export async function overrideList(o: ApiClientOptions & { all?: boolean }): Promise<string> {
  const a = await apiCall(o, "GET", `/api/overrides${o.all ? "?all=true" : ""}`);
  if (a.status !== 200) refused("override list", a);
  const rows = a.body as Record<string, unknown>[];
  if (!rows.length) return "no overrides";
  return rows.map((r) => `#${r.id}  ${String(r.status).padEnd(9)} ${describe(r).padEnd(30)} ${r.start} → ${r.expiry}  by ${r.author}: ${r.reason}${r.cleared ? ` (cleared by ${r.cleared_by}${r.clear_reason ? `: ${r.clear_reason}` : ""})` : ""}`).join("\n");
}

/** Clearing early goes to the audit log with its reason; the daemon refuses one shorter than this (400). */
const MIN_CLEAR_REASON = 3;

export async function overrideClear(o: ApiClientOptions & { id: string; reason: string }): Promise<string> {
  if (!/^\d+$/.test(o.id)) throw new InputError("<id>", "", "an override number, e.g. 12 (see chaleur override list)", `got '${o.id}'`);
  const reason = (o.reason ?? "").trim();
  if (reason.length < MIN_CLEAR_REASON) throw new InputError("--reason", "", `why the override ends early, in a few words (at least ${MIN_CLEAR_REASON} characters)`, o.reason ? `got '${o.reason}'` : undefined);
  const a = await apiCall(o, "DELETE", `/api/overrides/${o.id}`, { reason });
  if (a.status !== 200) refused("override clear", a);
  return `override #${o.id} cleared`;
}

function describe(r: Record<string, unknown>): string {
  return `${r.target} ${r.kind}${r.value !== null && r.value !== undefined ? ` ${r.value} kW` : ""}`;
}

import { InputError } from "../config/errors.ts";

/**
 * `chaleur override set|list|clear`: overrides through the daemon's API (so they are checked, planned around and
 * audited exactly as from the HMI). Logs in with a bearer token: $CHALEUR_TOKEN, or --user with the password in
 * $CHALEUR_PASSWORD (never on the command line, where `ps` would show it).
 */
export interface ApiClientOptions {
  url: string;
  user?: string;
}

interface Answer {
  status: number;
  body: any;
}

async function request(url: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(new URL(path, url), { method, headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError("--url", "", "the address of a running chaleur daemon", `${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** A 4xx from the daemon is the person's input: one line with the daemon's words, exit 2. */
function refused(what: string, a: Answer): never {
  const msg = typeof a.body === "object" && a.body && "error" in a.body ? String((a.body as { error: string }).error) : String(a.body);
  if (a.status >= 400 && a.status < 500) throw new InputError(what, "", "an answer the daemon accepts", `${a.status}: ${msg}`);
  throw new Error(`${what}: the daemon answered ${a.status}: ${msg}`);
}

async function token(o: ApiClientOptions): Promise<string> {
  if (process.env.CHALEUR_TOKEN) return process.env.CHALEUR_TOKEN;
  if (!o.user) throw new InputError("--user", "", "a user name (password in $CHALEUR_PASSWORD), or a token in $CHALEUR_TOKEN");
  const password = process.env.CHALEUR_PASSWORD;
  if (!password) throw new InputError("CHALEUR_PASSWORD", "", `the password of '${o.user}' in the environment`);
  const a = await request(o.url, "POST", "/api/login", { username: o.user, password, bearer: true });
  if (a.status !== 200) refused("login", a);
  return (a.body as { token: string }).token;
}

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
  const t = await token(o);
  const a = await request(o.url, "POST", "/api/overrides", body, t);
  if (a.status !== 201) refused("override set", a);
  return `override #${a.body.id} ${describe(a.body)}: ${a.body.status}, until ${a.body.expiry}`;
}

export async function overrideList(o: ApiClientOptions & { all?: boolean }): Promise<string> {
  const t = await token(o);
  const a = await request(o.url, "GET", `/api/overrides${o.all ? "?all=true" : ""}`, undefined, t);
  if (a.status !== 200) refused("override list", a);
  const rows = a.body as Record<string, unknown>[];
  if (!rows.length) return "no overrides";
  return rows.map((r) => `#${r.id}  ${String(r.status).padEnd(9)} ${describe(r).padEnd(30)} ${r.start} → ${r.expiry}  by ${r.author}: ${r.reason}${r.cleared ? ` (cleared by ${r.cleared_by}${r.clear_reason ? `: ${r.clear_reason}` : ""})` : ""}`).join("\n");
}

export async function overrideClear(o: ApiClientOptions & { id: string; reason?: string }): Promise<string> {
  if (!/^\d+$/.test(o.id)) throw new InputError("<id>", "", "an override number, e.g. 12 (see chaleur override list)", `got '${o.id}'`);
  const t = await token(o);
  const a = await request(o.url, "DELETE", `/api/overrides/${o.id}`, o.reason ? { reason: o.reason } : {}, t);
  if (a.status !== 200) refused("override clear", a);
  return `override #${o.id} cleared`;
}

function describe(r: Record<string, unknown>): string {
  return `${r.target} ${r.kind}${r.value !== null && r.value !== undefined ? ` ${r.value} kW` : ""}`;
}

import { z } from "zod";
import { AckAllBody, AllQuery, AuditQuery, ClearOverrideBody, HistoryQuery, LoginBody, OverrideBody, ShelveBody, UserBody } from "./schemas.ts";

/**
 * `GET /api/openapi.json`: OpenAPI 3.1 for every route, request bodies and queries generated from the same zod
 * schemas the routes validate with (so the description cannot drift from what is accepted). docs/api.md says what
 * the answers hold.
 */
interface RouteDoc {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  role: "none" | "viewer" | "operator" | "admin";
  body?: z.ZodType;
  query?: z.ZodType;
  params?: string[];
  ok: number;
  /** The answer is a list that may be cut (x-truncated); paged says it also has a cursor (x-next-cursor). */
  list?: "cut" | "paged";
}

const ROUTES: RouteDoc[] = [
  { method: "get", path: "/api/health", summary: "Health for monitors (no login): ok, degraded or down, with mode and links", role: "none", ok: 200 },
  { method: "post", path: "/api/login", summary: "Log in: a session cookie, or with bearer: true a token for scripts", role: "none", body: LoginBody, ok: 200 },
  { method: "post", path: "/api/logout", summary: "End the session", role: "viewer", ok: 204 },
  { method: "get", path: "/api/me", summary: "Who is logged in, the role, the CSRF token", role: "viewer", ok: 200 },
  { method: "get", path: "/api/state", summary: "Live state: measurements with quality and age, mode and cause, links, registers written", role: "viewer", ok: 200 },
  { method: "get", path: "/api/plan", summary: "The plan in force over the horizon (404 without one)", role: "viewer", ok: 200 },
  { method: "get", path: "/api/history", summary: "Recorded cycles over a period, in the timeseries.csv columns", role: "viewer", query: HistoryQuery, ok: 200 },
  { method: "get", path: "/api/events", summary: "Server-sent events: state, plan, override, alarm, audit", role: "viewer", ok: 200 },
  { method: "get", path: "/api/override-targets", summary: "What can be overridden, each kind with its engineering limits", role: "viewer", ok: 200 },
  { method: "get", path: "/api/overrides", summary: "Overrides pending (all=true: also past ones)", role: "viewer", query: AllQuery, ok: 200, list: "cut" },
  { method: "post", path: "/api/overrides", summary: "Create an override (refused with 422 and the reason if it would break cooling first)", role: "operator", body: OverrideBody, ok: 201 },
  { method: "delete", path: "/api/overrides/{id}", summary: "Clear an override early, saying why", role: "operator", body: ClearOverrideBody, params: ["id"], ok: 200 },
  { method: "get", path: "/api/alarms", summary: "Alarms not closed (all=true: also closed ones)", role: "viewer", query: AllQuery, ok: 200, list: "cut" },
  { method: "post", path: "/api/alarms/ack", summary: "Acknowledge the alarms listed (each audited on its own)", role: "operator", body: AckAllBody, ok: 200 },
  { method: "post", path: "/api/alarms/{id}/ack", summary: "Acknowledge an alarm", role: "operator", params: ["id"], ok: 200 },
  { method: "post", path: "/api/alarms/{id}/shelve", summary: "Shelve an alarm for a while, with a reason", role: "operator", body: ShelveBody, params: ["id"], ok: 200 },
  { method: "post", path: "/api/alarms/{id}/unshelve", summary: "Unshelve an alarm", role: "operator", params: ["id"], ok: 200 },
  { method: "get", path: "/api/audit", summary: "The audit log, newest first, a page at a time (format=csv without a limit: the whole range as a file)", role: "viewer", query: AuditQuery, ok: 200, list: "paged" },
  { method: "get", path: "/api/users", summary: "Users and roles", role: "admin", ok: 200 },
  { method: "post", path: "/api/users", summary: "Add a user or change one's role and password", role: "admin", body: UserBody, ok: 201 },
  { method: "delete", path: "/api/users/{username}", summary: "Remove a user (and end their sessions)", role: "admin", params: ["username"], ok: 200 },
];

const LIST_HEADERS = {
  "x-truncated": { description: "true when the list holds only the newest of them", schema: { type: "string", enum: ["true", "false"] } },
  "x-total-count": { description: "how many there are (in the period asked for)", schema: { type: "integer" } },
};
const CURSOR_HEADER = { "x-next-cursor": { description: "when x-truncated is true: the before_id of the next (older) page", schema: { type: "integer" } } };

const ERROR = { description: "error", content: { "application/json": { schema: { type: "object", properties: { error: { type: "string" } }, required: ["error"] } } } };

function jsonSchema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const parameters: unknown[] = (r.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: name === "id" ? "integer" : "string" } }));
    if (r.query) {
      const q = jsonSchema(r.query) as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(q.properties ?? {})) parameters.push({ name, in: "query", required: false, schema });
    }
    const headers = r.list ? { headers: { ...LIST_HEADERS, ...(r.list === "paged" ? CURSOR_HEADER : {}) } } : {};
    // 421: a Host header that is not one of the server's names (guards.ts), on every route.
    const responses: Record<string, unknown> = { [String(r.ok)]: { description: "ok", ...headers }, "421": ERROR };
    if (r.body || r.query || r.params) responses["400"] = ERROR;
    if (r.role !== "none") Object.assign(responses, { "401": ERROR, "403": ERROR });
    if (r.path.startsWith("/api/login")) responses["429"] = ERROR;
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      description: r.role === "none" ? "No login needed." : `Needs the ${r.role} role or above.${r.method !== "get" ? " With the session cookie, send the x-csrf-token header (and an Origin, if any, of this server)." : ""}`,
      ...(r.role === "none" ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "chaleur daemon API", version, description: "Operators' API of the chaleur heat-recovery controller (docs/api.md)." },
    components: { securitySchemes: { cookie: { type: "apiKey", in: "cookie", name: "chaleur_session" }, bearer: { type: "http", scheme: "bearer" } } },
    security: [{ cookie: [] }, { bearer: [] }],
    paths,
  };
}

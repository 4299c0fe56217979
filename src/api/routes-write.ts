import type { FastifyInstance } from "fastify";
import { alarmBody, overrideBody } from "./views.ts";
import { authenticate, parse, type ApiDeps } from "./context.ts";
import { AckAllBody, ClearBody, ClearOverrideBody, IdParams, OverrideBody, ShelveBody } from "./schemas.ts";
import { ApiError } from "./context.ts";
import { RequestBudget } from "./request-budget.ts";
import type { FastifyReply } from "fastify";

/** Override requests per user: a burst of 20, then 10 a minute (wall time). */
export const OVERRIDE_REQUESTS = { burst: 20, perMinute: 10 };

export function registerWriteRoutes(app: FastifyInstance, d: ApiDeps, budget = new RequestBudget(OVERRIDE_REQUESTS)): void {
  const spend = (user: string, reply: FastifyReply) => {
    const waitS = budget.take(user);
    if (waitS === null) return;
    reply.header("retry-after", String(waitS));
    throw new ApiError(429, `too many override requests from ${user}: try again in ${waitS} s`);
  };

  app.post("/api/overrides", async (req, reply) => {
    const s = authenticate(d, req, "operator", true);
    const b = parse(OverrideBody, req.body, "body");
    spend(s.username, reply);
    // The window as asked: a start left out is now, and a duration counts from the start (not from whenever the
    // check ends, which on a plant clock running at 60× is minutes later).
    const startMs = b.start ? Date.parse(b.start) : d.nowMs();
    const expiryMs = b.expiry ? Date.parse(b.expiry) : startMs + b.duration_min! * 60_000;
    const o = await d.ops.createOverride(s, { target: b.target, kind: b.kind, value: b.value, startMs, expiryMs, reason: b.reason }, { forecast: d.daemon.forecast, observation: d.daemon.observation });
    // A cycle now: the override is written at once and the plan remade around it.
    d.daemon.kick();
    return reply.code(201).send(overrideBody(o, d.nowMs()));
  });

  app.delete("/api/overrides/:id", async (req, reply) => {
    const s = authenticate(d, req, "operator", true);
    spend(s.username, reply);
    const { id } = parse(IdParams, req.params, "path");
    const b = parse(ClearOverrideBody, req.body, "body");
    const o = d.ops.clearOverride(s, id, b.reason);
    d.daemon.kick();
    return overrideBody(o, d.nowMs());
  });

  // Acknowledge-all for the alarms in view: the HMI sends the ids it shows, each is acknowledged and audited on its own.
  app.post("/api/alarms/ack", async (req) => {
    const s = authenticate(d, req, "operator", true);
    const b = parse(AckAllBody, req.body, "body");
    const r = d.ops.ackMany(s, b.ids);
    return { acked: r.acked.map(alarmBody), skipped: r.skipped };
  });

  app.post("/api/alarms/:id/ack", async (req) => {
    const s = authenticate(d, req, "operator", true);
    const { id } = parse(IdParams, req.params, "path");
    parse(ClearBody, req.body, "body");
    return alarmBody(d.ops.ack(s, id));
  });

  app.post("/api/alarms/:id/shelve", async (req) => {
    const s = authenticate(d, req, "operator", true);
    const { id } = parse(IdParams, req.params, "path");
    const b = parse(ShelveBody, req.body, "body");
    return alarmBody(d.ops.shelve(s, id, b.duration_min, b.reason));
  });

  app.post("/api/alarms/:id/unshelve", async (req) => {
    const s = authenticate(d, req, "operator", true);
    const { id } = parse(IdParams, req.params, "path");
    parse(ClearBody, req.body, "body");
    return alarmBody(d.ops.unshelve(s, id));
  });
}

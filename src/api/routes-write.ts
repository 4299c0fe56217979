import type { FastifyInstance } from "fastify";
import { alarmBody, overrideBody } from "./views.ts";
import { authenticate, parse, type ApiDeps } from "./context.ts";
import { ClearBody, ClearOverrideBody, IdParams, OverrideBody, ShelveBody } from "./schemas.ts";

export function registerWriteRoutes(app: FastifyInstance, d: ApiDeps): void {
  app.post("/api/overrides", async (req, reply) => {
    const s = authenticate(d, req, "operator", true);
    const b = parse(OverrideBody, req.body, "body");
    const now = d.nowMs();
    const startMs = b.start ? Date.parse(b.start) : undefined;
    const expiryMs = b.expiry ? Date.parse(b.expiry) : (startMs ?? now) + b.duration_min! * 60_000;
    const o = await d.ops.createOverride(s, { target: b.target, kind: b.kind, value: b.value, startMs, expiryMs, reason: b.reason }, { forecast: d.daemon.forecast, observation: d.daemon.observation });
    // A cycle now: the override is written at once and the plan remade around it.
    d.daemon.kick();
    return reply.code(201).send(overrideBody(o, now));
  });

  app.delete("/api/overrides/:id", async (req) => {
    const s = authenticate(d, req, "operator", true);
    const { id } = parse(IdParams, req.params, "path");
    const b = parse(ClearOverrideBody, req.body, "body");
    const o = d.ops.clearOverride(s, id, b.reason);
    d.daemon.kick();
    return overrideBody(o, d.nowMs());
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

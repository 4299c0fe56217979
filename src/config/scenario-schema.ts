import { z } from "zod";
import { parseDurationS, parseInstantMs } from "./duration.ts";

const num = z.number().finite();
const instant = z.string().refine((s) => parseInstantMs(s) !== null, {
  message: "an ISO 8601 time with offset, e.g. 2026-01-12T00:00:00+01:00",
});
const duration = z.string().refine((s) => (parseDurationS(s) ?? 0) > 0, {
  message: "an ISO 8601 duration, e.g. P7D or PT6H",
});

const weather = z.discriminatedUnion("source", [
  z
    .object({
      source: z.literal("synthetic"),
      /** Added to the 1991–2020-style monthly means to reach current normals (≈ +1.5 K). */
      shift_k: num.default(1.5),
      heatwave: z
        .object({ start: instant, duration, max_c: num, min_c: num })
        .strict()
        .refine((h) => h.max_c > h.min_c, { message: "max_c above min_c", path: ["max_c"] })
        .optional(),
    })
    .strict(),
  z.object({ source: z.literal("epw"), file: z.string().min(1), shift_k: num.default(0) }).strict(),
]);

const prices = z.discriminatedUnion("source", [
  z.object({ source: z.literal("synthetic"), mean_eur_per_mwh: num.default(58) }).strict(),
  z.object({ source: z.literal("entsoe"), file: z.string().min(1) }).strict(),
]);

const demand = z.discriminatedUnion("source", [
  z.object({ source: z.literal("signature") }).strict(),
  z
    .object({
      source: z.literal("shape"),
      file: z.string().min(1),
      /** Annual mean the shape is scaled to; default: the model's heating signature over the scenario weather. */
      mean_kw: num.positive().optional(),
    })
    .strict(),
]);

const event = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hp_trip"), unit: z.string().min(1), start: instant, duration }).strict(),
  z.object({ type: z.literal("network_outage"), start: instant, duration }).strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(""),
    model: z.string().min(1),
    start: instant,
    duration,
    seed: z.number().int().nonnegative().default(1),
    physics_step_s: z.number().int().min(1).max(3600).default(60),
    control: z
      .object({
        period_min: num.positive().default(15),
        horizon_h: num.positive().default(24),
        step_min: num.positive().default(15),
        /** How often mpc re-plans (default: every control period); it follows its plan in between. */
        replan_min: num.positive().optional(),
        /** Move blocking: from this many hours into the horizon, plan steps are coarse_step_min long (default: never). */
        coarse_after_h: num.nonnegative().optional(),
        coarse_step_min: num.positive().optional(),
      })
      .strict()
      .default({ period_min: 15, horizon_h: 24, step_min: 15 }),
    weather: weather.default({ source: "synthetic", shift_k: 1.5 }),
    prices: prices.default({ source: "synthetic", mean_eur_per_mwh: 58 }),
    demand: demand.default({ source: "signature" }),
    events: z.array(event).default([]),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioSchema>;

import { z } from "zod";
import { durationProblem, parseInstantMs } from "./duration.ts";

const num = z.number().finite();
const instant = z.string().refine((s) => parseInstantMs(s) !== null, {
  message: "an ISO 8601 time with offset, e.g. 2026-01-12T00:00:00+01:00",
});
/**
 * Bounds that keep a run within this machine's means: two years of 1-min steps is ≈ 0.6 GB of outputs in memory
 * (a year measured 288 MB peak), and a week-long plan horizon is already past what forecasts can tell.
 */
export const MAX_SCENARIO_DAYS = 731;
export const MAX_HORIZON_H = 168;
export const MAX_PLAN_STEPS = 1000;
export const MAX_SIM_STEPS = 1_100_000;

const boundedDuration = (maxS: number, maxText: string) =>
  z.string().superRefine((s, ctx) => {
    const problem = durationProblem(s, maxS, maxText);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const duration = boundedDuration(MAX_SCENARIO_DAYS * 86400, `${MAX_SCENARIO_DAYS} days (2 years)`);

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
        horizon_h: num.positive().max(MAX_HORIZON_H).default(24),
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

import { z } from "zod";
import { MAX_HORIZON_H } from "./scenario-schema.ts";

/**
 * The daemon's own sections (beside the wire sections of wire-config.ts): the model, the cycle's periods, the plan,
 * re-plan triggers, HTTP and logging. Apart so that a wire config may carry them (a daemon config is a wire config
 * with more) without the two schemas importing each other.
 */
const num = z.number().finite();

const CONTROL_DEFAULTS = { io_period_s: 10, replan_min: 15, horizon_h: 24, step_min: 15, solve_time_limit_ms: 2000, held_max_h: 4, replan_threshold_it_kw: 100, replan_threshold_demand_kw: 300 };

const control = z
  .object({
    /** Read → decide → write every so many seconds (plant time). */
    io_period_s: num.min(1).max(300).default(CONTROL_DEFAULTS.io_period_s),
    replan_min: num.positive().max(240).default(CONTROL_DEFAULTS.replan_min),
    horizon_h: num.positive().max(MAX_HORIZON_H).default(CONTROL_DEFAULTS.horizon_h),
    step_min: num.positive().max(240).default(CONTROL_DEFAULTS.step_min),
    coarse_after_h: num.nonnegative().optional(),
    coarse_step_min: num.positive().optional(),
    /** Wall-clock limit of one solve; the worker is stopped past it (plus a grace second). */
    solve_time_limit_ms: num.min(50).max(600_000).default(CONTROL_DEFAULTS.solve_time_limit_ms),
    /** A verified plan is followed as `held` at most this long after the optimizer stops delivering. */
    held_max_h: num.positive().max(48).default(CONTROL_DEFAULTS.held_max_h),
    /** Re-plan at once when IT heat or network demand is off the plan's forecast by more than this (kW). */
    replan_threshold_it_kw: num.positive().default(CONTROL_DEFAULTS.replan_threshold_it_kw),
    replan_threshold_demand_kw: num.positive().default(CONTROL_DEFAULTS.replan_threshold_demand_kw),
  })
  .strict()
  .default(CONTROL_DEFAULTS);

const http = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(1).max(65535).default(8080),
    /** HTTPS: PEM certificate and key files, relative to this file (both or neither). */
    tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).strict().optional(),
    /** How long a login lasts (wall hours). */
    session_h: num.positive().max(24 * 30).default(12),
    /** Failed logins per user name or address before further tries wait out the window. */
    login_max_failures: z.number().int().min(1).max(100).default(5),
    login_window_min: num.positive().max(24 * 60).default(15),
    /** Host names the HMI is reached by besides the bound address, loopback and the machine's name (DNS rebinding). */
    allowed_hosts: z.array(z.string().min(1).max(253)).max(50).default([]),
  })
  .strict()
  .default({ host: "127.0.0.1", port: 8080, session_h: 12, login_max_failures: 5, login_window_min: 15, allowed_hosts: [] });

const HISTORY_DEFAULTS = { raw_days: 30, means_days: 1825, forecast_days: 400 };

const history = z
  .object({
    /** The SQLite history, relative to this file; default <data_dir>/history.sqlite. */
    file: z.string().min(1).optional(),
    /** Raw rows (every cycle) are kept this long, then folded into 15-min means. */
    raw_days: num.min(1).max(3650).default(HISTORY_DEFAULTS.raw_days),
    means_days: num.min(1).max(36500).default(HISTORY_DEFAULTS.means_days),
    /** Forecasts made, kept to score them. */
    forecast_days: num.min(2).max(3650).default(HISTORY_DEFAULTS.forecast_days),
  })
  .strict()
  .default(HISTORY_DEFAULTS);

const forecasts = z
  .object({
    /** A folder the daemon watches for price and weather forecasts (ENTSO-E export, EPW, time,value CSV). */
    drop_folder: z.string().min(1).optional(),
    /** How often the folder is looked at (wall seconds). */
    drop_poll_s: num.min(1).max(3600).default(30),
  })
  .strict()
  .default({ drop_poll_s: 30 });

export const daemonShape = {
  /** The plant model, relative to this file. */
  model: z.string().min(1).optional(),
  control,
  http,
  history,
  /** The daemon's forecast sources beside the plant's OPC UA nodes. */
  forecast_sources: forecasts,
  log_level: z.enum(["debug", "info", "warn", "error"]).default("info"),
};

import { dirname, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "./errors.ts";
import { loadYamlFile } from "./load.ts";
import { daemonShape } from "./daemon-schema.ts";
import type { TagSpec } from "../io/opcua/tag-cache.ts";
import { endpointUrlExpected } from "../io/opcua/endpoint-url.ts";

/**
 * The plant-wire part of the daemon config (`chaleur.yaml`): where the OPC UA server is and how to trust it, which
 * node carries which measurement with its plausibility limits (DESIGN §4), and where each PLC's register map and
 * endpoint are. Secrets are never in the file: the password comes from an environment variable it names.
 */

const num = z.number().finite();

const tag = z
  .object({
    node: z.string().regex(/^(ns=\d+;)?[isgb]=.+$/, "an OPC UA node id like ns=1;s=dc.it_heat_kw"),
    measurement: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, "a measurement name like dc.it_heat_kw"),
    kind: z.enum(["number", "boolean"]).default("number"),
    min: num,
    max: num,
    max_age_s: num.positive(),
    max_rate_per_s: num.positive().optional(),
    /** Flag a value unchanged for longer than max_age_s (noisy analog sensors only). */
    frozen_check: z.boolean().default(false),
  })
  .strict()
  .refine((t) => t.min <= t.max, { message: "min ≤ max", path: ["max"] });

const nodeId = z.string().regex(/^(ns=\d+;)?[isgb]=.+$/, "an OPC UA node id like ns=1;s=forecast.start");

/** The plant's forecast nodes: a DateTime start, a step in seconds, and one Double array per forecast. */
const forecastNodes = z
  .object({
    start_node: nodeId,
    step_s_node: nodeId,
    outdoor_temp_c: nodeId,
    solar_w_m2: nodeId,
    price_el_eur_mwh: nodeId,
    dh_demand_kw: nodeId,
  })
  .strict();

const opcua = z
  .object({
    // The client's own check, so that a URL accepted here is never refused at connect time.
    endpoint: z.string().superRefine((url, ctx) => {
      const expected = endpointUrlExpected(url);
      if (expected !== undefined) ctx.addIssue({ code: "custom", message: expected });
    }),
    security_mode: z.enum(["None", "Sign", "SignAndEncrypt"]),
    security_policy: z.enum(["None", "Basic256Sha256"]),
    username: z.string().min(1).optional(),
    /** Name of the environment variable holding the password (never the password itself). */
    password_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name like CHALEUR_OPCUA_PASSWORD").optional(),
    /** Accept any server certificate: the demo only, never on a plant. */
    auto_accept_server_certificate: z.boolean().default(false),
    publishing_interval_ms: num.min(10).max(60_000).default(250),
    reconnect_max_delay_s: num.positive().max(600).default(10),
    tags: z.array(tag).min(1),
    /** Where the plant serves its forecasts; without it the daemon plans on the model's own profiles. */
    forecasts: forecastNodes.optional(),
  })
  .strict()
  .refine((o) => (o.security_mode === "None") === (o.security_policy === "None"), { message: "security_mode None goes with security_policy None, and only with it", path: ["security_policy"] })
  .refine((o) => (o.username === undefined) === (o.password_env === undefined), { message: "username and password_env together, or neither", path: ["password_env"] });

const plc = z
  .object({
    map: z.string().min(1),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
  })
  .strict();

const modbus = z
  .object({
    timeout_ms: num.min(10).max(60_000).default(1000),
    plcs: z.array(plc).min(1),
  })
  .strict();

/** The wire sections, shared with the daemon config (which adds the model, periods and HTTP). */
export const wireShape = {
  /** Certificates, trust lists and the history live here (relative to this file). */
  data_dir: z.string().min(1),
  opcua,
  modbus,
};

/** A wire config, or a daemon config (the wire sections and the daemon's own): both load as wire configs. */
export const wireSchema = z.object({ ...wireShape, ...daemonShape }).strict();

export type WireFile = z.infer<typeof wireSchema>;

/** A tag as the OPC UA client takes it (TagSpec), with the node it is read from. */
export interface TagConfig extends TagSpec {
  nodeId: string;
  kind: "number" | "boolean";
}

export interface WireConfig {
  file: string;
  dataDir: string;
  opcua: {
    endpoint: string;
    securityMode: "None" | "Sign" | "SignAndEncrypt";
    securityPolicy: "None" | "Basic256Sha256";
    username?: string;
    passwordEnv?: string;
    autoAcceptServerCertificate: boolean;
    publishingIntervalMs: number;
    reconnectMaxDelayS: number;
    tags: TagConfig[];
    /** Forecast node ids by forecast name (forecast.outdoor_temp_c, …), with the start and step nodes. */
    forecasts?: { startNodeId: string; stepNodeId: string; series: Record<string, string> };
  };
  modbus: { timeoutMs: number; plcs: { mapFile: string; host: string; port: number }[] };
}

export function resolveWire(f: Pick<WireFile, keyof typeof wireShape>, file: string): WireConfig {
  const dir = dirname(file);
  const seen = new Map<string, number>();
  f.opcua.tags.forEach((t, i) => {
    const j = seen.get(t.measurement);
    if (j !== undefined) throw new InputError(file, `opcua.tags[${i}].measurement`, `each measurement once`, `'${t.measurement}' is also tags[${j}]`);
    seen.set(t.measurement, i);
  });
  return {
    file,
    dataDir: resolve(dir, f.data_dir),
    opcua: {
      endpoint: f.opcua.endpoint,
      securityMode: f.opcua.security_mode,
      securityPolicy: f.opcua.security_policy,
      ...(f.opcua.username !== undefined ? { username: f.opcua.username } : {}),
      ...(f.opcua.password_env !== undefined ? { passwordEnv: f.opcua.password_env } : {}),
      autoAcceptServerCertificate: f.opcua.auto_accept_server_certificate,
      publishingIntervalMs: f.opcua.publishing_interval_ms,
      reconnectMaxDelayS: f.opcua.reconnect_max_delay_s,
      tags: f.opcua.tags.map((t) => ({
        nodeId: t.node,
        measurement: t.measurement,
        kind: t.kind,
        min: t.min,
        max: t.max,
        maxAgeS: t.max_age_s,
        ...(t.max_rate_per_s !== undefined ? { maxRatePerS: t.max_rate_per_s } : {}),
        detectFrozen: t.frozen_check,
      })),
      ...(f.opcua.forecasts
        ? {
            forecasts: {
              startNodeId: f.opcua.forecasts.start_node,
              stepNodeId: f.opcua.forecasts.step_s_node,
              series: {
                "forecast.outdoor_temp_c": f.opcua.forecasts.outdoor_temp_c,
                "forecast.solar_w_m2": f.opcua.forecasts.solar_w_m2,
                "forecast.price_el_eur_mwh": f.opcua.forecasts.price_el_eur_mwh,
                "forecast.dh_demand_kw": f.opcua.forecasts.dh_demand_kw,
              },
            },
          }
        : {}),
    },
    modbus: { timeoutMs: f.modbus.timeout_ms, plcs: f.modbus.plcs.map((p) => ({ mapFile: resolve(dir, p.map), host: p.host, port: p.port })) },
  };
}

/** The password for the OPC UA user, from the environment variable the config names. */
export function opcuaPassword(w: WireConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!w.opcua.passwordEnv) return undefined;
  const p = env[w.opcua.passwordEnv];
  if (p === undefined || p === "") throw new InputError(w.file, "opcua.password_env", `the environment variable ${w.opcua.passwordEnv} to be set`, "it is not");
  return p;
}

export function loadWireConfig(file: string): WireConfig {
  const f = loadYamlFile(wireSchema, file);
  return resolveWire(f, file);
}

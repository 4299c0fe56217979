import { z } from "zod";
import { ROLES } from "../ops/roles.ts";

/**
 * Every body and query the API accepts, strict (an unknown field is an error: a typo in `expiry` must not become
 * an override without one). The OpenAPI description is generated from these same schemas.
 */
const isoTime = z.iso.datetime({ offset: true, message: "an ISO 8601 time, e.g. 2026-11-30T14:00:00Z" });
const text = (max: number) => z.string().trim().min(1).max(max);

export const LoginBody = z.strictObject({
  username: text(64),
  password: z.string().min(1).max(200),
  bearer: z.boolean().optional(),
});

export const OverrideBody = z
  .strictObject({
    target: text(40),
    kind: z.enum(["off", "lockout", "fixed", "setpoint", "limit"]),
    value: z.number().finite().optional(),
    start: isoTime.optional(),
    expiry: isoTime.optional(),
    duration_min: z.number().positive().max(7 * 24 * 60).optional(),
    reason: text(500),
  })
  .refine((b) => (b.expiry === undefined) !== (b.duration_min === undefined), { message: "give either expiry (an ISO time) or duration_min, exactly one", path: ["expiry"] });

export const ClearBody = z.strictObject({ reason: text(500).optional() });

/** Clearing an override is deliberate: it says why (an empty or missing reason is a 400). */
export const ClearOverrideBody = z.strictObject({ reason: z.string({ message: "required: why the override ends early (a few words)" }).trim().min(3, "required: why the override ends early (a few words)").max(500) });

export const AckAllBody = z.strictObject({ ids: z.array(z.number().int().positive()).min(1, "at least one alarm id").max(1000) });

export const ShelveBody = z.strictObject({
  duration_min: z.number().positive().max(24 * 60),
  reason: text(500),
});

export const UserBody = z.strictObject({
  username: z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, "2–32 characters: lower-case letters, digits, '.', '_', '-', starting with a letter"),
  password: z.string().min(10, "at least 10 characters").max(200),
  role: z.enum(ROLES as unknown as [string, ...string[]]),
});

export const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const UserParams = z.strictObject({ username: text(64) });

export const HistoryQuery = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  columns: z.string().max(2000).optional(),
  max_points: z.coerce.number().int().min(2).max(20_000).optional(),
});

export const AllQuery = z.strictObject({ all: z.enum(["true", "false"]).optional() });

/** The most audit entries one answer holds (JSON, or CSV when a limit is asked for; a plain CSV is the whole range). */
export const AUDIT_MAX_LIMIT = 10_000;

export const AuditQuery = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  format: z.enum(["json", "csv"]).optional(),
  /** The cursor: entries with a smaller id (the x-next-cursor header of the previous page). */
  before_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
});

/** "body.expiry: an ISO 8601 time …" from a zod error: the field and what was expected, on one line. */
export function zodMessage(where: string, e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.length ? `${where}.${i.path.join(".")}` : where;
      if (i.code === "unrecognized_keys") return `${where}: unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k}'`).join(", ")}`;
      return `${path}: ${i.message}`;
    })
    .join("; ");
}

import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { InputError } from "./errors.ts";

/** Reads a text file; a missing or unreadable file is an input error, not a crash. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code ?? e);
    throw new InputError(file, "", "an existing readable file", why);
  }
}

/** Parses YAML text; syntax errors name the line. Returns plain JS data. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const msg = err.message.split("\n")[0] ?? "syntax error";
    throw new InputError(file, line ? `line ${line}` : "", "valid YAML", msg.replace(/ at line \d+, column \d+:?$/, ""));
  }
  return doc.toJS({ maxAliasCount: 100 });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function expectedOf(issue: z.core.$ZodIssue): { field: readonly PropertyKey[]; expected: string; detail?: string } {
  switch (issue.code) {
    case "invalid_type":
      return {
        field: issue.path,
        expected: issue.expected === "object" ? "a mapping" : issue.expected === "array" ? "a list" : `a ${issue.expected}`,
        detail: issue.message.includes("received undefined") ? "missing" : issue.message.replace(/^Invalid input: expected \w+, /, ""),
      };
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const op = issue.code === "too_small" ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
      const what = issue.origin === "array" ? "a list with length" : issue.origin === "string" ? "text with length" : "a number";
      return { field: issue.path, expected: `${what} ${op} ${String(bound)}` };
    }
    case "unrecognized_keys":
      return { field: [...issue.path, issue.keys[0] ?? "?"], expected: "no such field (unknown field; check the spelling)" };
    case "invalid_value":
      return { field: issue.path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` };
    case "invalid_format":
      return { field: issue.path, expected: issue.message.replace(/^Invalid string: /, "") };
    case "invalid_union":
      return { field: issue.path, expected: issue.message };
    default:
      return { field: issue.path, expected: issue.message };
  }
}

/** Validates data against a schema; the first problem becomes a one-line InputError. */
export function validate<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  // A misspelt field shows up twice: as unknown and as missing. The unknown one is what the person typed, so say that.
  const issues = r.error.issues;
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  const issue = unknown ?? issues[0]!;
  const e = expectedOf(issue);
  const parent = unknown ? formatPath(unknown.path) : null;
  const missing = issues.find((i) => i.code === "invalid_type" && i.message.includes("received undefined") && formatPath(i.path.slice(0, -1)) === parent);
  const detail = missing ? `did you mean '${String(missing.path.at(-1))}'?` : e.detail;
  throw new InputError(file, formatPath(e.field) || "(top level)", e.expected, detail);
}

/** The kinds of chaleur file, recognised by the fields only that kind has. */
export type FileKind = "plant model" | "scenario" | "PLC register map" | "wire config" | "daemon config" | "study";

const KIND_FIELDS: [FileKind, string[], string][] = [
  ["plant model", ["facility_water", "heat_pumps"], "facility_water, heat_pumps, …"],
  ["PLC register map", ["plc", "registers"], "plc, unit_id, registers"],
  ["wire config", ["opcua", "modbus"], "opcua, modbus"],
  ["daemon config", [], "model, opcua, modbus, control"],
  ["scenario", ["start", "model"], "model, start, duration"],
  ["study", ["axes"], "scenario, axes, controllers"],
];

export function fileKind(data: unknown): FileKind | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const keys = new Set(Object.keys(data));
  // A daemon config is a wire config that names its plant model.
  if ((keys.has("opcua") || keys.has("modbus")) && keys.has("model")) return "daemon config";
  return KIND_FIELDS.find(([, fields]) => fields.some((f) => keys.has(f)))?.[0] ?? null;
}

export function describeKind(kind: FileKind): string {
  const k = KIND_FIELDS.find(([name]) => name === kind)!;
  return `a ${kind} (with ${k[2]})`;
}

/**
 * Loads a YAML file of the given kind. A file of another kind (a scenario where a model is expected) is named as
 * such, rather than reported as a misspelt field.
 */
export function loadYamlFile<T extends z.ZodType>(schema: T, file: string, kind?: FileKind): z.infer<T> {
  const data = parseYaml(readTextFile(file), file);
  const found = fileKind(data);
  if (kind && found && found !== kind) throw new InputError(file, "(top level)", describeKind(kind), `this file is a ${found}`);
  return validate(schema, data, file);
}

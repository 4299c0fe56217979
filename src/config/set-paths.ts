import { parse as parseYamlText } from "yaml";
import { InputError } from "./errors.ts";
import { formatPath } from "./load.ts";

/**
 * `simulate … --set path=value` (DESIGN §9): quick what-ifs without editing files. A path is dotted keys into the
 * scenario (`prices.mean_eur_per_mwh=80`, `duration=P3D`) or, after `model.`, into the plant model the scenario
 * names (`model.storage.height_m=12`); list items by index (`model.heat_pumps.1.heat_max_kw=600`). The value is
 * read as YAML (`80` a number, `true` a boolean, `P3D` a string). The result is validated by the same schemas as
 * the files, and a refusal names the --set it came from.
 */
export interface SetPath {
  /** As given, for messages. */
  text: string;
  target: "scenario" | "model";
  keys: string[];
  value: unknown;
}

export function parseSet(text: string): SetPath {
  const eq = text.indexOf("=");
  const path = eq < 0 ? "" : text.slice(0, eq).trim();
  if (eq < 0 || !path) throw new InputError("--set", "", "path=value, e.g. prices.mean_eur_per_mwh=80 or model.storage.height_m=12", `got '${text}'`);
  if (!isSetPath(path)) throw new InputError("--set", "", "a dotted path of keys (letters, digits, _) and list indexes", `got '${path}'`);
  let value: unknown;
  try {
    value = parseYamlText(text.slice(eq + 1));
  } catch {
    throw new InputError("--set", path, "a YAML value (a number, true/false, a string)", `got '${text.slice(eq + 1)}'`);
  }
  return { ...setPath(path, value), text };
}

/** Whether a path is dotted keys (letters, digits, _) and list indexes. */
export function isSetPath(path: string): boolean {
  return path.split(".").every((k) => /^[A-Za-z0-9_]+$/.test(k));
}

/** A change of an already-parsed value (a study's axis value); the path as in parseSet. */
export function setPath(path: string, value: unknown): SetPath {
  const keys = path.split(".");
  const model = keys[0] === "model" && keys.length > 1;
  return { text: `${path}=${typeof value === "string" ? value : JSON.stringify(value)}`, target: model ? "model" : "scenario", keys: model ? keys.slice(1) : keys, value };
}

/**
 * Sets the value at keys in a copy of the parsed file. Every key but the last must lead to an object or a list
 * (a key the file does not have yet is made, so optional sections can be set); an index must be in its list.
 */
export function applySets(data: unknown, sets: readonly SetPath[]): unknown {
  const root: unknown = structuredClone(data);
  for (const s of sets) {
    if (typeof root !== "object" || root === null) throw new InputError("--set", s.text, "a file whose top level is a mapping");
    let at = root as Record<string, unknown>;
    s.keys.forEach((k, i) => {
      const last = i === s.keys.length - 1;
      if (Array.isArray(at)) {
        const idx = Number(k);
        if (!Number.isInteger(idx) || idx < 0 || idx >= at.length) throw new InputError("--set", s.text, `an index from 0 to ${at.length - 1} at '${s.keys.slice(0, i).join(".")}'`, `got '${k}'`);
      }
      if (last) {
        at[k] = s.value;
        return;
      }
      const next = at[k];
      if (next === undefined) at[k] = {};
      else if (typeof next !== "object" || next === null) throw new InputError("--set", s.text, `a section at '${s.keys.slice(0, i + 1).join(".")}'`, `it holds the value ${JSON.stringify(next)}`);
      at = at[k] as Record<string, unknown>;
    });
  }
  return root;
}

/** Runs a loader on data changed by --set; a refusal of a field a --set wrote (or of what is under it) names that --set. */
export function withSets<T>(sets: readonly SetPath[], load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const hit = sets.find((s) => {
      const field = formatPath(s.keys.map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
      return e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`);
    });
    if (!hit) throw e;
    // The refusal's own detail (the value it got), after "expected …".
    const head = `${e.field ? `${e.file}: ${e.field}` : e.file}: expected ${e.expected}`;
    const detail = e.message.startsWith(head) ? e.message.slice(head.length).replace(/^ \((.*)\)$/, "$1") : "";
    throw new InputError("--set", hit.text, e.expected, detail || undefined);
  }
}

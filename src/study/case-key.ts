import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Scenario } from "../config/scenario.ts";

/**
 * A case's results are keyed by the content of everything that makes them: the resolved scenario and model (not
 * their file paths, so a study moved or run on another machine keeps its keys), the data files' bytes, the
 * controller, the solver, and chaleur's own source. A change to any of them runs the case again; nothing else does.
 */
// The sources, whether this runs from them or from the build (dist/ mirrors src/ at the same depth).
const SRC = resolve(import.meta.dirname, "..", "..", "src");

let codeHashMemo: string | undefined;

/** The parts of chaleur a simulated run never loads (the daemon, its API and HMI, the wire, the history, the CLI). */
const NOT_IN_RUNS = new Set(["api", "cli", "daemon", "hmi", "io", "ops", "store"]);

/** SHA-256 of the source a run is made of (src/**, tests left out): results depend on the code that made them. */
export function codeHash(): string {
  if (codeHashMemo) return codeHashMemo;
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === SRC && NOT_IN_RUNS.has(e.name))) walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
        h.update(relative(SRC, p)).update("\0").update(readFileSync(p)).update("\0");
      }
    }
  };
  walk(SRC);
  codeHashMemo = h.digest("hex");
  return codeHashMemo;
}

const fileHashes = new Map<string, string>();
function fileHash(file: string): string {
  let h = fileHashes.get(file);
  if (!h) {
    h = createHash("sha256").update(readFileSync(file)).digest("hex");
    fileHashes.set(file, h);
  }
  return h;
}

/** JSON with sorted keys: the same content always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** What a case's results depend on, as data (paths replaced by the files' hashes). */
export function caseInputs(sc: Scenario, controller: string, solver: string): unknown {
  const { file: _scenarioFile, model, weather, prices, demand, ...rest } = sc;
  const { file: _modelFile, ...modelContent } = model;
  const withData = (src: object) => ("file" in src && typeof src.file === "string" ? { ...src, file: fileHash(src.file) } : src);
  return { format: 1, code: codeHash(), controller, solver, scenario: { ...rest, weather: withData(weather), prices: withData(prices), demand: withData(demand) }, model: modelContent };
}

export function caseKey(sc: Scenario, controller: string, solver: string): string {
  return createHash("sha256").update(canonicalJson(caseInputs(sc, controller, solver))).digest("hex");
}

import { resolve, dirname } from "node:path";
import { z } from "zod";
import { InputError } from "../config/errors.ts";
import { loadYamlFile } from "../config/load.ts";
import { loadScenario, type Scenario } from "../config/scenario.ts";
import { isSetPath, setPath, type SetPath } from "../config/set-paths.ts";
import { CONTROLLERS, type ControllerName } from "../sim/run.ts";

/**
 * A study (DESIGN §9): a base scenario, axes of values over the scenario and its model, and the controllers to run.
 * Every combination is a case. Paths are those of `simulate --set` (`prices.mean_eur_per_mwh`, `model.storage.height_m`).
 */
export const MAX_CASES_WITHOUT_YES = 10_000;

const scalar = z.union([z.number().finite(), z.string(), z.boolean()]);
const path = z.string().refine(isSetPath, { message: "a dotted path of keys (letters, digits, _) and list indexes" });

export const studySchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(""),
    /** The base scenario, relative to the study file. */
    scenario: z.string().min(1),
    controllers: z.array(z.enum(CONTROLLERS)).min(1).default(["rule"]),
    /** Changes every case shares (e.g. a shorter duration), as `--set` would make them. */
    set: z.record(path, scalar).default({}),
    axes: z.record(path, z.array(scalar).min(1)),
  })
  .strict();

export interface Axis {
  path: string;
  values: (number | string | boolean)[];
}

export interface Study {
  name: string;
  description: string;
  file: string;
  scenarioFile: string;
  controllers: ControllerName[];
  fixed: SetPath[];
  axes: Axis[];
}

export interface StudyCase {
  /** Position in the study's full list (0-based), stable for a given study file. */
  index: number;
  controller: ControllerName;
  /** One value per axis, in the study's axis order. */
  values: (number | string | boolean)[];
  sets: SetPath[];
}

const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : String(v));

/** Loads and checks a study: each axis value alone must make a valid scenario, so a typo names its axis. */
export function loadStudy(file: string): Study {
  const f = loadYamlFile(studySchema, file, "study");
  const axes = Object.entries(f.axes).map(([p, values]) => ({ path: p, values }));
  if (axes.length === 0) throw new InputError(file, "axes", "at least one axis (path: [values])", "none given");
  const scenarioFile = resolve(dirname(file), f.scenario);
  const fixed = Object.entries(f.set).map(([p, v]) => setPath(p, v));
  for (const a of axes) {
    const seen = new Set(a.values.map((v) => JSON.stringify(v)));
    if (seen.size !== a.values.length) throw new InputError(file, `axes.${a.path}`, "distinct values", `got ${a.values.map(show).join(", ")}`);
    if (f.set[a.path] !== undefined) throw new InputError(file, `axes.${a.path}`, "a path not also under set:", "it is both an axis and a fixed change");
  }
  // The base, with the fixed changes: its own errors name the scenario, or the `set:` entry.
  try {
    loadScenario(scenarioFile, fixed);
  } catch (e) {
    if (e instanceof InputError && e.file === "--set") throw new InputError(file, `set.${e.field.replace(/=.*$/, "")}`, e.expected, e.message.match(/\((.*)\)$/)?.[1]);
    if (e instanceof InputError && e.file === scenarioFile && e.field === "") throw new InputError(file, "scenario", "an existing scenario file, relative to this study", `${f.scenario} is ${scenarioFile}: ${e.message.replace(/^.*?: expected /, "")}`);
    throw e;
  }
  for (const a of axes) {
    for (const v of a.values) {
      try {
        loadScenario(scenarioFile, [...fixed, setPath(a.path, v)]);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        if (e.file !== "--set") throw new InputError(file, `axes.${a.path}`, "values the scenario accepts", `the value ${show(v)} gives ${e.message}`);
        if (e.expected.startsWith("no such field")) throw new InputError(file, `axes.${a.path}`, "a path the scenario or its model has (model.<path> for the model)", `unknown field '${a.path.split(".").at(-1)}': check the spelling`);
        throw new InputError(file, `axes.${a.path}`, e.expected, `for the value ${show(v)}`);
      }
    }
  }
  return { name: f.name, description: f.description, file, scenarioFile, controllers: f.controllers, fixed, axes };
}

/** How many cases a study makes: the product of its axes' lengths, times its controllers. */
export function caseCount(study: Pick<Study, "axes" | "controllers">): number {
  return study.axes.reduce((n, a) => n * a.values.length, 1) * study.controllers.length;
}

/**
 * Every combination, the last axis varying fastest and the controllers innermost, so the controllers of the same
 * inputs sit side by side and a contiguous shard gets a fair share of each.
 */
export function expandCases(study: Study): StudyCase[] {
  const out: StudyCase[] = [];
  const total = caseCount(study) / study.controllers.length;
  for (let combo = 0; combo < total; combo++) {
    let rest = combo;
    const values: (number | string | boolean)[] = new Array(study.axes.length);
    for (let a = study.axes.length - 1; a >= 0; a--) {
      const axis = study.axes[a]!;
      values[a] = axis.values[rest % axis.values.length]!;
      rest = Math.floor(rest / axis.values.length);
    }
    const sets = [...study.fixed, ...study.axes.map((a, k) => setPath(a.path, values[k]))];
    for (const controller of study.controllers) out.push({ index: out.length, controller, values, sets });
  }
  return out;
}

/** `--shard i/n`: 0-based i, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX or a Slurm array `--array=0-(n-1)`. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new InputError("--shard", "", "i/n with 0 ≤ i < n, e.g. 0/4 … 3/4", `got '${text}'`);
  return { index, count };
}

/** The contiguous slice of cases shard i of n runs; every case is in exactly one shard. */
export function shardCases<T>(cases: readonly T[], shard: { index: number; count: number }): T[] {
  const from = Math.floor((shard.index * cases.length) / shard.count);
  const to = Math.floor(((shard.index + 1) * cases.length) / shard.count);
  return cases.slice(from, to);
}

/** Loads a case's scenario; a combination that only fails together names every axis value of it. */
export function loadCaseScenario(study: Study, c: StudyCase): Scenario {
  try {
    return loadScenario(study.scenarioFile, c.sets);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const combo = study.axes.map((a, k) => `${a.path}=${show(c.values[k])}`).join(", ");
    throw new InputError(study.file, "axes", "combinations the scenario accepts", `case ${c.index} (${combo}): ${e.message}`);
  }
}

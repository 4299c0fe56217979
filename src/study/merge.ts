import { cpSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../config/errors.ts";
import { caseDir, readCase, writeManifest, type CaseRecord, type StudyManifest } from "./case-store.ts";
import { writeStudyOutputs } from "./outputs.ts";

export interface MergeResult {
  name: string;
  total: number;
  merged: number;
  missing: number[];
  files: { csv: string; html: string };
}

function readManifest(dir: string): StudyManifest {
  const file = join(dir, "study.json");
  if (!existsSync(file)) throw new InputError(file, "", "a study folder written by chaleur sweep (with study.json)", "no such file");
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as StudyManifest;
    if (m.format !== 1 || !Array.isArray(m.cases) || typeof m.studyKey !== "string") throw new Error("not a study manifest");
    return m;
  } catch (e) {
    throw new InputError(file, "", "a study manifest (JSON, format 1)", e instanceof Error ? e.message : String(e));
  }
}

/**
 * `sweep --merge DIR…`: the shards of one study (the same cases from the same code) joined into one folder, each
 * finished case copied once, and the study's table and page made over all of them.
 */
export function mergeShards(dirs: string[], out: string): MergeResult {
  if (dirs.length === 0) throw new InputError("--merge", "", "one or more study folders");
  const manifests = dirs.map(readManifest);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    if (m.studyKey !== first.studyKey) throw new InputError(join(dirs[i]!, "study.json"), "studyKey", `the same study as ${join(dirs[0]!, "study.json")} ('${first.name}', ${first.cases.length} cases)`, `'${m.name}', ${m.cases.length} cases`);
    if (m.code !== first.code) throw new InputError(join(dirs[i]!, "study.json"), "code", `results of the same chaleur source as ${dirs[0]}`, "the shards ran different versions of chaleur: run them again on one");
  });
  const outAbs = resolve(out);
  const records: CaseRecord[] = [];
  for (const c of first.cases) {
    for (const d of dirs) {
      const rec = readCase(d, c.key);
      if (!rec) continue;
      if (resolve(d) !== outAbs && !readCase(out, c.key)) cpSync(caseDir(d, c.key), caseDir(out, c.key), { recursive: true });
      records.push({ ...rec, index: c.index });
      break;
    }
  }
  const { shard: _shard, ...whole } = first;
  writeManifest(out, whole);
  const files = writeStudyOutputs(out, whole, records, []);
  const have = new Set(records.map((r) => r.index));
  return { name: first.name, total: first.cases.length, merged: records.length, missing: first.cases.filter((c) => !have.has(c.index)).map((c) => c.index), files };
}

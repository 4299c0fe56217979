import { basename, join, resolve } from "node:path";
import { InputError } from "../config/errors.ts";
import { runSweep } from "../study/sweep.ts";
import { mergeShards } from "../study/merge.ts";
import { parseShard } from "../study/study.ts";
import { progressBar } from "./progress.ts";
import { prepareOutputDir } from "./output-path.ts";

export interface SweepCliOptions {
  workers?: string;
  shard?: string;
  out?: string;
  merge?: string[];
  yes?: boolean;
  solver: string;
}

/** `chaleur sweep`: runs a study (or merges its shards); returns the exit code (130 when interrupted, 1 if a case failed). */
export async function sweepCommand(studyFile: string | undefined, o: SweepCliOptions): Promise<number> {
  if (o.merge) {
    if (studyFile) throw new InputError("--merge", "", "study folders only (no study file with --merge)", `got the file ${studyFile}`);
    const out = prepareOutputDir("--out", o.out ?? o.merge[0]!);
    const r = mergeShards(o.merge, out);
    console.log(`${r.name}: ${r.merged} of ${r.total} cases merged into ${out}${r.missing.length ? `; missing cases ${r.missing.slice(0, 20).join(", ")}${r.missing.length > 20 ? ", …" : ""}` : ""}`);
    console.log(`  table: ${r.files.csv}\n  page:  ${r.files.html}`);
    return r.missing.length ? 1 : 0;
  }
  if (!studyFile) throw new InputError("sweep", "", "a study file (or --merge DIR…)");
  const workers = o.workers === undefined ? undefined : Number(o.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 256)) throw new InputError("--workers", "", "a whole number from 1 to 256", `got '${o.workers}'`);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const out = resolve(o.out ?? join("out", basename(studyFile).replace(/\.ya?ml$/, "")));
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  const bar = progressBar(`${basename(studyFile)}${shard ? ` shard ${shard.index}/${shard.count}` : ""}`);
  const t0 = performance.now();
  try {
    const r = await runSweep({
      studyFile,
      out,
      solver: o.solver,
      prepareOut: (dir) => prepareOutputDir("--out", dir),
      ...(workers ? { workers } : {}),
      ...(shard ? { shard } : {}),
      ...(o.yes ? { yes: true } : {}),
      ...(bar ? { onProgress: bar } : { onCase: (l: string) => console.error(l) }),
      signal: abort.signal,
    });
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    if (bar && !r.interrupted) bar(1);
    console.log(`${r.study.name}: ${r.inThisRun} of ${r.total} cases${shard ? ` (shard ${shard.index}/${shard.count})` : ""}: ${r.ran} run, ${r.reused} already done, ${r.failed.length} failed, in ${s} s`);
    for (const f of r.failed.slice(0, 10)) console.log(`  case ${f.index} failed: ${f.message}`);
    if (r.interrupted) {
      console.log(`  interrupted: ${r.records.length} of ${r.inThisRun} cases are done and kept; the same command runs the rest`);
    }
    console.log(`  table: ${r.files.csv}\n  page:  ${r.files.html}`);
    return r.interrupted ? 130 : r.failed.length ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}

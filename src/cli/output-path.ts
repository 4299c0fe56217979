import { closeSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../config/errors.ts";

/**
 * Output places are checked and made before any work starts: a year-long run must not end in "cannot write".
 * `mkdirSync(…, {recursive: true})` spins forever under /proc (ENOENT and EEXIST in turn), so folders are made one
 * level at a time, and every failure becomes one line naming the option.
 */
export function prepareOutputDir(option: string, dir: string): string {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    const kind = kindOf(p);
    if (kind === "dir") break;
    if (kind === "file") throw new InputError(option, "", "a folder to write into", p === abs ? `'${dir}' is a file` : `'${dir}' is under the file '${p}'`);
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new InputError(option, "", "a folder chaleur can create", `cannot create '${m}': ${reason(e)}`);
    }
  }
  probeWritable(option, abs, `cannot write in '${dir}'`);
  return abs;
}

/** A file to be written later: its folder must exist and take a new file, and the path must not be a folder. */
export function checkOutputFile(option: string, file: string): string {
  const abs = resolve(file);
  if (kindOf(abs) === "dir") throw new InputError(option, "", "a file path", `'${file}' is a folder`);
  const parent = dirname(abs);
  const kind = kindOf(parent);
  if (kind !== "dir") throw new InputError(option, "", "a file in an existing folder", kind === "file" ? `'${parent}' is a file` : `no folder '${parent}'`);
  probeWritable(option, parent, `cannot write in '${parent}'`);
  return abs;
}

function kindOf(p: string): "dir" | "file" | "none" {
  try {
    return statSync(p).isDirectory() ? "dir" : "file";
  } catch {
    return "none";
  }
}

function probeWritable(option: string, dir: string, what: string): void {
  const probe = join(dir, `.chaleur-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    rmSync(probe);
  } catch (e) {
    throw new InputError(option, "", "a folder chaleur can write into", `${what}: ${reason(e)}`);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOENT: "the system does not allow a folder there",
    ENOSPC: "no space left on the device",
    ENOTDIR: "a part of the path is a file",
    EEXIST: "a file of that name exists",
  };
  return (code && known[code]) ?? String(code ?? e);
}

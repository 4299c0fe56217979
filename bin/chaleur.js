#!/usr/bin/env node
// Entry point for `npx chaleur`: the built JavaScript in dist/ (npm run build; `npm install` builds it). A build
// older than any source is never run: the sources are then run through tsx, with a note on stderr.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "dist", "BUILD");

function newestSourceMs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSourceMs(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const builtMs = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const srcDir = join(root, "src");
if (builtMs > 0 && (!existsSync(srcDir) || newestSourceMs(srcDir) <= builtMs)) {
  if (process.env.CHALEUR_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(join(root, "dist", "cli", "main.js")).href);
} else {
  if (builtMs > 0) process.stderr.write("chaleur: the build in dist/ is older than src/ (run npm run build): running the sources\n");
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
}

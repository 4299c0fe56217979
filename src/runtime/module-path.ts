import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * chaleur runs either as built JavaScript (`dist/`, what `npm start`, `bin/chaleur.js` and systemd run) or from
 * its TypeScript sources (vitest, and a fallback when the build is stale). A worker thread's entry is a file beside
 * the module that starts it, with that module's own extension; a built thread needs no TypeScript loader.
 */
export function isBuilt(moduleUrl: string): boolean {
  return moduleUrl.endsWith(".js");
}

/** `base` resolved against `moduleUrl`, with its extension (.js built, .ts from the sources). */
export function siblingUrl(base: string, moduleUrl: string): URL {
  return new URL(`${base}${isBuilt(moduleUrl) ? ".js" : ".ts"}`, moduleUrl);
}

/** Which build this is, for `--version`: "built <time>" (dist/BUILD, written by npm run build), or "sources". */
export function buildOf(moduleUrl: string): string {
  if (!isBuilt(moduleUrl)) return "sources";
  const stamp = fileURLToPath(new URL("../BUILD", moduleUrl));
  return existsSync(stamp) ? `built ${readFileSync(stamp, "utf8").trim()}` : "built, no stamp";
}

// npm runs this after `npm install` or `npm ci` of a clone: it builds dist/ when the TypeScript compiler is there.
// A production install without dev dependencies (`npm ci --omit=dev`) has none: bin/chaleur.js then runs the
// sources through tsx (slower to start), so install with `npm ci && npm prune --omit=dev` to keep the build.
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";

try {
  createRequire(import.meta.url).resolve("typescript/package.json");
} catch {
  console.log("chaleur: no TypeScript compiler installed (npm ci --omit=dev?): dist/ not built; bin/chaleur.js will run the sources");
  process.exit(0);
}
const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent"], { stdio: "inherit" });
process.exit(r.status ?? 1);

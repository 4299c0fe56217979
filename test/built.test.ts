import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The built product (issue 19 item 2): `npm run build` compiles src/ into dist/; bin/chaleur.js runs it with no
 * TypeScript loader, and never a build older than a source. The planner's worker thread runs the built JavaScript.
 */
const root = resolve(import.meta.dirname, "..");
const run = (args: string[], cwd = root): Promise<{ code: number; out: string; err: string }> =>
  new Promise((done) => execFile(process.execPath, args, { cwd }, (e, out, err) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err })));

beforeAll(() => {
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "pipe" });
}, 120_000);

describe("the built product", () => {
  it("bin/chaleur.js runs the build and says which one", async () => {
    const v = await run(["bin/chaleur.js", "--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+ \(built \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
    expect(v.err).toBe("");
  });

  it("the planner's worker thread runs the built JavaScript and makes a verified plan", { timeout: 60_000 }, async () => {
    const dist = (p: string) => pathToFileURL(join(root, "dist", p)).href;
    const { WorkerPlanner } = (await import(dist("daemon/worker-planner.js"))) as typeof import("../src/daemon/worker-planner.ts");
    const { loadModel } = (await import(dist("config/plant-model.js"))) as typeof import("../src/config/plant-model.ts");
    const { readPlanInputs, initialPlanState } = (await import(dist("cli/plan.js"))) as typeof import("../src/cli/plan.ts");
    const m = loadModel("models/paris-chapelle.yaml");
    const f = readPlanInputs("simulations/plan-example.csv", m);
    const p = new WorkerPlanner({ model: m, solver: "highs" });
    try {
      const r = await p.plan({ forecast: f, state: initialPlanState(m), options: { timeLimitMs: 30_000 } });
      expect(r.status).toBe("optimal");
      expect(r.plan!.steps).toHaveLength(f.n);
    } finally {
      await p.close();
    }
  });
});

describe("bin/chaleur.js and a stale build", () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("runs the sources (through tsx) when a source is newer than the build, and says so", { timeout: 60_000 }, async () => {
    // A tree of its own: the launcher, a 'built' and a 'source' entry that say which they are, tsx from the repo.
    dir = mkdtempSync(join(tmpdir(), "chaleur-stale-"));
    for (const d of ["bin", "dist/cli", "src/cli"]) mkdirSync(join(dir, d), { recursive: true });
    copyFileSync(join(root, "bin/chaleur.js"), join(dir, "bin/chaleur.js"));
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
    writeFileSync(join(dir, "dist/cli/main.js"), 'console.log("built");\n');
    writeFileSync(join(dir, "src/cli/main.ts"), 'const where: string = "sources";\nconsole.log(where);\n');
    writeFileSync(join(dir, "dist/BUILD"), "2026-12-07T00:00:00Z");
    const at = (file: string, s: number) => utimesSync(join(dir, file), s, s);
    at("src/cli/main.ts", 1_000_000);
    at("dist/BUILD", 2_000_000);
    const fresh = await run(["bin/chaleur.js"], dir);
    expect([fresh.out.trim(), fresh.err]).toEqual(["built", ""]);
    at("src/cli/main.ts", 3_000_000);
    const stale = await run(["bin/chaleur.js"], dir);
    expect(stale.out.trim()).toBe("sources");
    expect(stale.err).toMatch(/the build in dist\/ is older than src\/ \(run npm run build\): running the sources/);
    rmSync(join(dir, "dist/BUILD"));
    expect((await run(["bin/chaleur.js"], dir)).out.trim()).toBe("sources");
  });
});

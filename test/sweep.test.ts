import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../src/config/errors.ts";
import { loadScenario } from "../src/config/scenario.ts";
import { parseSet } from "../src/config/set-paths.ts";
import { simulateScenario } from "../src/sim/run.ts";
import { caseCount, expandCases, loadStudy, parseShard, shardCases } from "../src/study/study.ts";
import { runSweep } from "../src/study/sweep.ts";
import { mergeShards } from "../src/study/merge.ts";

/**
 * `chaleur sweep`: studies checked before anything runs, every case run once (keyed by its inputs), shards that
 * join into the same table as one run, and an interrupted sweep that finishes where it stopped.
 */
const dir = mkdtempSync(join(tmpdir(), "chaleur-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WINTER = resolve("simulations/paris-winter-week.yaml");
const CLI = ["--import", "tsx", "src/cli/main.ts"];

function study(name: string, body: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\nscenario: ${WINTER}\n${body}`);
  return f;
}

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error("no InputError");
};

describe("a bad study is refused with one line naming the file and the axis", () => {
  it("an unknown path, a value the schema refuses, an empty axis, a repeated value", () => {
    const unknown = study("unknown", "axes:\n  model.storage.heigth_m: [4, 8]\n");
    expect(errorOf(() => loadStudy(unknown))).toMatch(new RegExp(`^${unknown}: axes\\.model\\.storage\\.heigth_m: .*unknown field 'heigth_m'`));
    const refused = study("refused", "axes:\n  model.storage.height_m: [4, -8]\n");
    expect(errorOf(() => loadStudy(refused))).toBe(`${refused}: axes.model.storage.height_m: expected a number > 0 (for the value -8)`);
    const empty = study("empty", "axes:\n  prices.mean_eur_per_mwh: []\n");
    expect(errorOf(() => loadStudy(empty))).toBe(`${empty}: axes.prices.mean_eur_per_mwh: expected a list with length ≥ 1`);
    const twice = study("twice", "axes:\n  prices.mean_eur_per_mwh: [40, 40]\n");
    expect(errorOf(() => loadStudy(twice))).toMatch(/axes\.prices\.mean_eur_per_mwh: expected distinct values/);
  });

  it("more than 10,000 cases without --yes (exit 2, no folder made)", () => {
    const values = (n: number) => `[${Array.from({ length: n }, (_, i) => 20 + i).join(", ")}]`;
    const big = study("big", `controllers: [rule, mpc]\naxes:\n  prices.mean_eur_per_mwh: ${values(101)}\n  model.economics.heat_sale_eur_per_mwh: ${values(50)}\n`);
    expect(caseCount(loadStudy(big))).toBe(10_100);
    const out = join(dir, "big-out");
    const r = spawnSync(process.execPath, [...CLI, "sweep", big, "--out", out], { encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([`chaleur: ${big}: axes: expected at most 10,000 cases, or --yes (101 (prices.mean_eur_per_mwh) × 50 (model.economics.heat_sale_eur_per_mwh) × 2 controllers = 10,100)`]);
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});

describe("cases and shards", () => {
  it("every combination once, the controllers side by side; every case in exactly one shard", () => {
    const f = study("grid", "controllers: [rule, oracle]\naxes:\n  prices.mean_eur_per_mwh: [40, 60, 80]\n  model.storage.height_m: [4, 8]\n");
    const cases = expandCases(loadStudy(f));
    expect(cases).toHaveLength(12);
    expect(new Set(cases.map((c) => `${c.controller}|${c.values.join("|")}`)).size).toBe(12);
    expect(cases.slice(0, 2).map((c) => c.controller)).toEqual(["rule", "oracle"]);
    for (const n of [1, 5, 12, 13]) {
      const seen = Array.from({ length: n }, (_, i) => shardCases(cases, { index: i, count: n })).flat().map((c) => c.index);
      expect(seen).toEqual(cases.map((c) => c.index));
    }
    expect(() => parseShard("4/4")).toThrow(/--shard: expected i\/n with 0 ≤ i < n/);
    expect(parseShard("3/4")).toEqual({ index: 3, count: 4 });
  });
});

describe("a sweep on worker threads", () => {
  const body = "controllers: [rule]\nset: { duration: P1D }\naxes:\n  model.storage.height_m: [4, 8]\n  model.economics.heat_sale_eur_per_mwh: [25, 45]\n";

  it("runs each case as simulate --set would, reuses finished cases, and shards merge into the same table", async () => {
    const f = study("small", body);
    const out = join(dir, "small");
    const first = await runSweep({ studyFile: f, out, workers: 2 });
    expect([first.ran, first.reused, first.failed.length]).toEqual([4, 0, 0]);
    const csv = readFileSync(first.files.csv, "utf8");
    const rows = csv.trim().split("\n");
    expect(rows).toHaveLength(5);
    const head = rows[0]!.split(",");
    // Case 3 (height 8, 45 €/MWh) is what simulate gives with the same two --set changes.
    const direct = await simulateScenario(loadScenario(WINTER, ["duration=P1D", "model.storage.height_m=8", "model.economics.heat_sale_eur_per_mwh=45"].map(parseSet)), "rule", join(dir, "direct"));
    const case3 = rows[4]!.split(",");
    expect(case3.slice(0, 4)).toEqual(["3", "rule", "8", "45"]);
    expect(Number(case3[head.indexOf("value_eur")])).toBe(direct.kpis.value_eur);
    expect(Number(case3[head.indexOf("revenue_eur")])).toBe(direct.kpis.revenue_eur);
    // Different inputs, different results: the axes reached the runs.
    expect(new Set(rows.slice(1).map((r) => r.split(",")[head.indexOf("revenue_eur")])).size).toBe(4);
    expect(readFileSync(first.files.html, "utf8")).toContain("4 of 4 cases");

    const again = await runSweep({ studyFile: f, out, workers: 2 });
    expect([again.ran, again.reused]).toEqual([0, 4]);
    expect(readFileSync(again.files.csv, "utf8")).toBe(csv);

    // One more price: only its two cases run; the four already done are read back.
    const wider = study("small-wider", body.replace("[25, 45]", "[25, 45, 35]"));
    const grown = await runSweep({ studyFile: wider, out, workers: 2 });
    expect([grown.ran, grown.reused, grown.total]).toEqual([2, 4, 6]);

    const shards = [0, 1, 2].map((i) => join(dir, `shard-${i}`));
    for (const [i, s] of shards.entries()) await runSweep({ studyFile: f, out: s, workers: 1, shard: { index: i, count: 3 } });
    const merged = mergeShards(shards, join(dir, "merged"));
    expect([merged.merged, merged.missing]).toEqual([4, []]);
    expect(readFileSync(merged.files.csv, "utf8")).toBe(csv);
    expect(() => mergeShards([shards[0]!, join(dir, "small")], join(dir, "mixed"))).toThrow(/studyKey: expected the same study/);
  }, 240_000);

  it("study.html: the best case per controller, a chart per axis, a table sorted by a click", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`file://${join(dir, "small", "study.html")}`);
      const csv = readFileSync(join(dir, "small", "cases.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
      const col = csv[0]!.indexOf("value_eur");
      const best = csv.slice(1).reduce((b, r) => (Number(r[col]) > Number(b[col]) ? r : b));
      await expect.poll(() => page.locator("#best tr td:nth-child(2)").first().textContent()).toBe(best[0]);
      expect(await page.locator("#charts .uplot").count()).toBe(2);
      // Sorted by value_eur, highest first; a click on "case" sorts by case, a second click reverses it.
      const firstCase = () => page.locator("#cases tbody tr td:first-child").first().textContent();
      expect(await firstCase()).toBe(best[0]);
      await page.locator("#cases thead th button").first().click();
      expect(await firstCase()).toBe(String(csv.length - 2));
      await page.locator("#cases thead th button").first().click();
      expect(await firstCase()).toBe("0");
      await page.selectOption("#kpi", "heat_dumped_mwh");
      expect(await page.locator("#best-kpi").textContent()).toBe("heat_dumped_mwh (lowest)");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("Ctrl-C keeps the finished cases, and the same command then runs only the missing ones", async () => {
    const f = study("interrupted", "controllers: [rule]\nset: { duration: P2D }\naxes:\n  prices.mean_eur_per_mwh: [40, 50, 60, 70, 80, 90]\n");
    const out = join(dir, "interrupted");
    const done = () => readdirSync(join(out, "cases")).filter((d) => existsSync(join(out, "cases", d, "case.json")));
    const child = spawn(process.execPath, [...CLI, "sweep", f, "--workers", "1", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    for (let t = 0; t < 600 && !(existsSync(join(out, "cases")) && done().length >= 1); t++) await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: \d of 6 cases are done and kept/);
    const kept = done();
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(6);
    const mtimes = kept.map((d) => statSync(join(out, "cases", d, "case.json")).mtimeMs);

    const rerun = spawnSync(process.execPath, [...CLI, "sweep", f, "--workers", "1", "--out", out], { encoding: "utf8", timeout: 180_000 });
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toContain(`6 of 6 cases: ${6 - kept.length} run, ${kept.length} already done, 0 failed`);
    expect(kept.map((d) => statSync(join(out, "cases", d, "case.json")).mtimeMs)).toEqual(mtimes);
    expect(readFileSync(join(out, "cases.csv"), "utf8").trim().split("\n")).toHaveLength(7);
  }, 300_000);
});

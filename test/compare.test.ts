import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../src/config/scenario.ts";
import { parseSet } from "../src/config/set-paths.ts";
import { InputError } from "../src/config/errors.ts";
import { simulateScenario } from "../src/sim/run.ts";
import { runCompare } from "../src/cli/compare.ts";
import { formatNumber } from "../src/report/format.ts";
import type { Kpis } from "../src/report/kpis.ts";

/**
 * `chaleur compare` on real runs: two days of the winter week with rule, as shipped and with a taller store (a
 * --set), simulated here (about a second each), then compared; and every refusal, one line naming the file.
 */
let dir: string;
const runDir = (name: string) => join(dir, name);
const kpisOf = (name: string) => JSON.parse(readFileSync(join(runDir(name), "kpis.json"), "utf8")) as Kpis;

async function simulate(name: string, sets: string[]): Promise<void> {
  const sc = loadScenario("simulations/paris-winter-week.yaml", sets.map(parseSet));
  await simulateScenario(sc, "rule", runDir(name), { sets });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-compare-"));
  await simulate("base", ["duration=P2D"]);
  await simulate("big-store", ["duration=P2D", "model.storage.height_m=12"]);
  await simulate("one-day", ["duration=P1D"]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rows of a table as {key: data-diff of each difference cell}, from the attributes the page writes for this. */
function diffs(html: string, attr: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of html.matchAll(new RegExp(`<tr data-${attr}="([^"]+)">(.*?)</tr>`, "g"))) {
    out.set(m[1]!, [...m[2]!.matchAll(/data-diff="([^"]+)"/g)].map((d) => Number(d[1])));
  }
  return out;
}

describe("compare two runs", () => {
  let html: string;
  let summary: string;
  let file: string;
  beforeAll(() => {
    ({ file, summary } = runCompare({ runs: [runDir("base"), runDir("big-store")], out: join(dir, "cmp.html") }));
    html = readFileSync(file, "utf8");
  });

  it("names the runs: scenario, controller, the --set changes", () => {
    expect(file).toBe(join(dir, "cmp.html"));
    expect(html).toContain("Paris winter week — rule [duration=P2D, model.storage.height_m=12]");
    expect(html).toContain("<code>model.storage.height_m=12</code>");
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // self-contained: nothing fetched
  });

  it("puts every KPI side by side with the difference to the first run, computed from the two kpis.json", () => {
    const a = kpisOf("base");
    const b = kpisOf("big-store");
    const rows = diffs(html, "kpi");
    let numeric = 0;
    for (const [key, v] of Object.entries(a)) {
      if (typeof v !== "number" || typeof b[key as keyof Kpis] !== "number") continue;
      numeric++;
      expect(rows.get(key), key).toHaveLength(1);
      expect(rows.get(key)![0]!).toBeCloseTo((b[key as keyof Kpis] as number) - v, 9);
    }
    expect(numeric).toBeGreaterThan(20);
    expect(rows.get("mode_minutes.rule")).toEqual([0]);
    // The value row as people read it: both values and the signed difference, coloured by its verdict.
    const d = b.value_eur - a.value_eur;
    const row = /<tr data-kpi="value_eur">.*?<\/tr>/.exec(html)![0];
    expect(row).toContain(formatNumber(a.value_eur, 2));
    expect(row).toContain(`${d > 0 ? "+" : ""}${formatNumber(d, 2)}`);
    expect(row).toContain(d > 0 ? 'class="num better"' : 'class="num worse"');
    // A taller store starts fuller (initial fill 0.5): the start differs, with no verdict on it.
    expect(/<tr data-kpi="storage_start_kwh">.*?<\/tr>/.exec(html)![0]).not.toMatch(/better|worse/);
    expect(summary).toContain(`2. Paris winter week — rule [duration=P2D, model.storage.height_m=12]: value ${b.value_eur.toFixed(2)} € (${d >= 0 ? "+" : ""}${d.toFixed(2)} € against run 1)`);
  });

  it("says where the value was won or lost: by day and by use, each adding up to the value_eur difference", () => {
    const d = kpisOf("big-store").value_eur - kpisOf("base").value_eur;
    const days = diffs(html, "day");
    expect([...days.keys()]).toEqual(["2026-01-12", "2026-01-13", "total"]);
    // The rows (the total row aside) add up to the value_eur difference of the two kpis.json, and to the total row.
    const sum = (m: Map<string, number[]>) => [...m].reduce((s, [k, v]) => (k === "total" ? s : s + v[0]!), 0);
    expect(Math.abs(sum(days) - d)).toBeLessThan(1);
    expect(sum(days)).toBeCloseTo(days.get("total")![0]!, 9);
    const uses = diffs(html, "use");
    expect(uses.size).toBe(8 + 1);
    expect(Math.abs(sum(uses) - d)).toBeLessThan(1);
    expect(sum(uses)).toBeCloseTo(uses.get("total")![0]!, 9);
    // The taller store holds more heat at the start, which rule sells: a gain on the sale, a loss on the store.
    expect(uses.get("network_sale")![0]!).toBeGreaterThan(1);
    expect(uses.get("store_change")![0]!).toBeLessThan(-1);
    expect(html).toMatch(/<p class="verdict">Run 2 \(.*?\) (gains|loses) [^<]* against run 1: it gains most on heat sold \(\+[^)]*\) and loses most on the store&#39;s change \(−[^)]*\); (its best day is|its worst day is) /);
    expect(summary).toMatch(/it gains most on heat sold \(\+[\d.]+ €\) and loses most on the store's change \(-[\d.]+ €\)/);
  });

  it("overlays the same charts, one colour per run, with a legend", () => {
    for (const id of ["heat-sold", "greenhouse", "storage", "heat-pumps"]) {
      const fig = new RegExp(`<figure class="chart" id="chart-${id}">(.*?)</figure>`).exec(html)?.[1];
      expect(fig, id).toBeDefined();
      expect(fig).toContain('data-key="run1"');
      expect(fig).toContain('data-key="run2"');
      expect(fig).toContain("Run 2: Paris winter week — rule [duration=P2D, model.storage.height_m=12]");
    }
  });
});

describe("compare refuses, in one line naming the file", () => {
  const refusal = (runs: string[]): InputError => {
    try {
      runCompare({ runs, out: join(dir, "refused.html") });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).not.toContain("\n");
      return e as InputError;
    }
    throw new Error("compare did not refuse");
  };

  it("fewer than two runs", () => {
    expect(refusal([runDir("base")]).message).toBe("compare: expected at least two run folders (chaleur compare out/a out/b) (got 1)");
  });
  it("runs over different periods, naming the odd run's folder and what was expected", () => {
    const m = refusal([runDir("base"), runDir("one-day")]).message;
    expect(m).toBe(`${join(runDir("one-day"), "timeseries.csv")}: expected the period and step of ${runDir("base")} (2026-01-11T23:00:00Z to 2026-01-13T23:00:00Z in 60-s steps) (got 2026-01-11T23:00:00Z to 2026-01-12T23:00:00Z in 60-s steps)`);
  });
  it("a missing folder, a missing or malformed kpis.json, a malformed timeseries.csv or run.json", () => {
    expect(refusal([runDir("base"), runDir("nowhere")]).message).toBe(`${runDir("nowhere")}: expected a run folder written by chaleur simulate (timeseries.csv, kpis.json) (no such folder)`);
    const broken = (name: string, file: string, text: string | null) => {
      cpSync(runDir("base"), runDir(name), { recursive: true });
      if (text === null) rmSync(join(runDir(name), file));
      else writeFileSync(join(runDir(name), file), text);
      return join(runDir(name), file);
    };
    let f = broken("no-kpis", "kpis.json", null);
    expect(refusal([runDir("base"), runDir("no-kpis")]).message).toBe(`${f}: expected kpis.json from chaleur simulate (no such file)`);
    f = broken("bad-kpis", "kpis.json", '{"value_eur": 1,');
    expect(refusal([runDir("base"), runDir("bad-kpis")]).message).toMatch(new RegExp(`^${f.replace(/[.]/g, "\\.")}: expected valid JSON \\(`));
    f = broken("bad-csv", "timeseries.csv", readFileSync(join(runDir("base"), "timeseries.csv"), "utf8").replace(/\n(2026-01-12T05:00:00Z,)[^,]*/, "\n$1x"));
    expect(refusal([runDir("base"), runDir("bad-csv")]).message).toBe(`${f}: line 362 column 'it_heat_kw': expected a number (got 'x')`);
    f = broken("bad-run", "run.json", JSON.stringify({ controller: "rule", scenario: { name: "x" }, economics: {} }));
    expect(refusal([runDir("base"), runDir("bad-run")]).message).toBe(`${f}: economics.heat_sale_eur_per_mwh: expected a number`);
  });
});

describe("a run simulated before run.json", () => {
  it("still compares on KPIs and charts; the value by use and by day says why it is missing", () => {
    cpSync(runDir("base"), runDir("old"), { recursive: true });
    rmSync(join(runDir("old"), "run.json"));
    const { file, summary } = runCompare({ runs: [runDir("old"), runDir("big-store")], out: join(dir, "old.html") });
    const html = readFileSync(file, "utf8");
    expect(diffs(html, "kpi").get("value_eur")![0]!).toBeCloseTo(kpisOf("big-store").value_eur - kpisOf("base").value_eur, 9);
    expect(html).toContain('id="chart-heat-sold"');
    expect(html).toContain(`Run 1 (${runDir("old")}): no run.json beside its outputs`);
    expect(diffs(html, "day").size).toBe(0);
    expect(summary).toContain("1. old: value");
    expect(summary).toContain("runs without run.json are not valued by use and by day");
  });
});

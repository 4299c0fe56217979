import { describe, expect, it, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "chaleur-bad-"));
});

/** Runs a command with a hard stop: a hang is a failure with its own message, not a stuck suite. */
function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; out: string; err: string; hung: boolean }> {
  return new Promise((done) => {
    const p = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, out, err, hung: signal === "SIGKILL" });
    });
  });
}
const chaleur = (...args: string[]) => run(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args]);

async function expectOneLine(p: ReturnType<typeof chaleur>, line: string) {
  const r = await p;
  expect(r.hung, "hung").toBe(false);
  expect(r.err.trim()).toBe(`chaleur: ${line}`);
  expect(r.code).toBe(2);
}

function planCsv(name: string, edit: (rows: string[]) => void): string {
  const rows = readFileSync(join(root, "simulations/plan-example.csv"), "utf8").trim().split("\n").slice(0, 25);
  edit(rows);
  const f = join(dir, name);
  writeFileSync(f, rows.join("\n") + "\n");
  return f;
}

describe("bad output places: one line naming the option, exit 2, before any work, never a hang", () => {
  it("simulate --out under /proc, /sys, on a file, under a file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const week = "simulations/paris-winter-week.yaml";
    // mpc: a run that would take seconds, so an answer within the hard stop shows the check comes first.
    await Promise.all([
      expectOneLine(chaleur("simulate", week, "--controller", "mpc", "--out", "/proc/x"), "--out: expected a folder chaleur can create (cannot create '/proc/x': the system does not allow a folder there)"),
      expectOneLine(chaleur("simulate", week, "--out", "/sys/x"), "--out: expected a folder chaleur can create (cannot create '/sys/x': operation not permitted)"),
    ]);
    await Promise.all([
      expectOneLine(chaleur("simulate", week, "--out", file), `--out: expected a folder to write into ('${file}' is a file)`),
      expectOneLine(chaleur("simulate", week, "--out", join(file, "sub")), `--out: expected a folder to write into ('${join(file, "sub")}' is under the file '${file}')`),
    ]);
  });

  it("sim-plant --data-dir under /proc: one line, no hang", async () => {
    await expectOneLine(chaleur("sim-plant", "--model", "models/paris-chapelle.yaml", "--data-dir", "/proc/x", "--opcua-port", "0"), "--data-dir: expected a folder chaleur can create (cannot create '/proc/x': the system does not allow a folder there)");
  });

  it("a nested --out that does not exist yet is made", async () => {
    const out = join(dir, "new", "deeper");
    const r = await chaleur("simulate", "simulations/paris-winter-week.yaml", "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(out, "kpis.json"))).toBe(true);
  });

  it("plan --export-lp into /proc, onto a folder, under a missing folder", async () => {
    const base = ["plan", "--model", "models/paris-chapelle.yaml", "--inputs", "simulations/plan-example.csv", "--export-lp"];
    await Promise.all([
      expectOneLine(chaleur(...base, "/proc/x.lp"), "--export-lp: expected a folder chaleur can write into (cannot write in '/proc': the system does not allow a folder there)"),
      expectOneLine(chaleur(...base, dir), `--export-lp: expected a file path ('${dir}' is a folder)`),
    ]);
    await expectOneLine(chaleur(...base, join(dir, "nowhere", "x.lp")), `--export-lp: expected a file in an existing folder (no folder '${join(dir, "nowhere")}')`);
  });
});

describe("plan inputs are refused, not repaired", () => {
  it("rows out of order, a negative demand, an empty cell: the line, never 'dropped' or 'interpolation'", async () => {
    const unsorted = planCsv("unsorted.csv", (r) => ([r[3], r[4]] = [r[4]!, r[3]!]));
    const negative = planCsv("negative.csv", (r) => (r[5] = r[5]!.replace(/,[^,]+$/, ",-12")));
    const empty = planCsv("empty.csv", (r) => (r[7] = r[7]!.split(",").map((c, i) => (i === 4 ? "" : c)).join(",")));
    const base = ["plan", "--model", "models/paris-chapelle.yaml", "--inputs"];
    const results = await Promise.all([
      expectOneLine(chaleur(...base, unsorted), `${unsorted}: line 5 column 'time': expected rows in increasing time order, one per plan step (2026-01-11T23:30:00Z is not after 2026-01-11T23:45:00Z (line 4))`),
      expectOneLine(chaleur(...base, negative), `${negative}: line 6 column 'dh_demand_kw': expected a value ≥ 0 kW (got -12)`),
    ]);
    expect(results).toHaveLength(2);
    const r = await chaleur(...base, empty);
    expect(r.err.trim()).toBe(`chaleur: ${empty}: line 8 column 'price_el_eur_mwh': expected a value in every row ('price_el_eur_mwh' is empty)`);
    expect(r.err).not.toMatch(/dropped|interpolation/);
  });
});

describe("small promises", () => {
  it("a scenario copied elsewhere: the missing model or data file is named by the scenario's field", async () => {
    const copy = join(dir, "copied.yaml");
    writeFileSync(copy, readFileSync(join(root, "simulations/paris-2023-real.yaml"), "utf8"));
    await expectOneLine(chaleur("simulate", copy, "--out", join(dir, "copied-out")), `${copy}: model: expected an existing file, relative to this scenario's folder ('../models/paris-chapelle.yaml' is ${resolve(dir, "../models/paris-chapelle.yaml")}, which does not exist)`);
    const modelOk = join(dir, "model-ok.yaml");
    writeFileSync(modelOk, readFileSync(copy, "utf8").replace("model: ../models/", `model: ${root}/models/`));
    await expectOneLine(chaleur("validate", modelOk), `${modelOk}: weather.file: expected an existing file, relative to this scenario's folder ('data/weather-brussels-uccle-tmyx.epw' is ${join(dir, "data/weather-brussels-uccle-tmyx.epw")}, which does not exist)`);
  });

  it("--version prints the package's version and which build runs (here the sources)", async () => {
    const r = await chaleur("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(`${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version} (sources)`);
  });

  it("simulate with jslp says at once it is for single plans", async () => {
    await expectOneLine(
      chaleur("simulate", "simulations/paris-winter-week.yaml", "--controller", "mpc", "--solver", "jslp"),
      "--solver: expected highs for simulate (jslp is for single plans: chaleur plan --solver jslp) (javascript-lp-solver needs about a minute per 24-h plan)",
    );
  });

  it("bench --list names every benchmark; an unknown --only is an error, not a silent pass", async () => {
    const bench = (...a: string[]) => run(process.execPath, ["--import", "tsx", join(root, "bench/run.ts"), ...a]);
    const list = await bench("--list");
    expect(list.code).toBe(0);
    const names = list.out.trim().split("\n").map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(expect.arrayContaining(["plan", "wire", "sim-year-rule", "sim-winter-week-mpc"]));
    const bad = await bench("--only", "nope");
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toBe(`bench: --only: expected one of ${names.join(", ")} (got 'nope'; see --list)`);
  });

  it("a run on imported data says how many data notes its report holds", async () => {
    const sc = join(dir, "prices-march.yaml");
    // Two days around the 2023 spring clock change: the price file's row for the hour that never was is a note.
    writeFileSync(sc, `name: march\nmodel: ${join(root, "models/paris-chapelle.yaml")}\nstart: 2023-03-25T00:00:00+01:00\nduration: P2D\nprices: { source: entsoe, file: ${join(root, "simulations/data/prices-fr-2023-entsoe.csv")} }\n`);
    const r = await chaleur("simulate", sc, "--out", join(dir, "march"));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^ {2}1 data note in the report$/m);
    expect(readFileSync(join(dir, "march", "report.html"), "utf8")).toMatch(/does not exist in Paris local time/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadModel } from "../src/config/plant-model.ts";
import { openWritableHistory, type WritableHistory } from "../src/store/history.ts";
import { timeseriesColumns } from "../src/report/record.ts";
import type { Sample } from "../src/io/types.ts";

/**
 * `chaleur export` and `chaleur report --db` on a history written here cycle by cycle, read beside its writer
 * (the daemon keeps running while engineers export); bad input is one line and exit 2, the file untouched.
 */
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chaleur-history-cli-"));
const db = join(dir, "history.sqlite");
const T0 = Date.parse("2026-02-02T06:00:00Z");
const N = 720; // two hours of 10-s cycles
const itKw = (i: number) => 880 + (i % 17);
let h: WritableHistory;

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

beforeAll(() => {
  const m = loadModel(join(root, "models/paris-chapelle.yaml"));
  h = openWritableHistory(db, { startedWallMs: 0, pid: 0, version: "test", config: "test", model: m.name, modelJson: JSON.stringify(m) });
  const names = timeseriesColumns(m);
  for (let i = 0; i < N; i++) {
    const t = T0 + i * 10_000;
    const values = Object.fromEntries(names.map((k) => [k, Number.NaN]));
    Object.assign(values, { it_heat_kw: itKw(i), dh_sold_kw: 500, hp1_heat_kw: 600, hp1_elec_kw: 200, hp1_cop: 3, price_el_eur_mwh: 80, gh_temp_c: 20, fw_supply_temp_c: 20 });
    const s: Sample = { value: itKw(i), quality: "good", sourceMs: t, receivedMs: t };
    h.writer.cycle({ timeMs: t, samples: new Map([["dc.it_heat_kw", s]]), record: { timeMs: t, durationS: 10, mode: i < 360 ? "optimal" : "held", hpStarts: i === 0 ? 1 : 0, values }, cause: "test", planMadeAtMs: T0, reports: [], cycleMs: 2 });
  }
});
afterAll(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("chaleur export and report on the daemon's history", () => {
  it("export: one row per cycle in the timeseries.csv columns, read beside the running writer; --from/--to select", () => {
    const out = join(dir, "all.csv");
    const r = cli("export", "--db", db, "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    const header = lines[0]!.split(",");
    expect(header[0]).toBe("time");
    expect(header.at(-1)).toBe("mode");
    expect(lines).toHaveLength(N + 1);
    // IT energy from the CSV against the energy of the values written.
    const col = header.indexOf("it_heat_kw");
    const fromCsv = lines.slice(1).reduce((a, l) => a + Number(l.split(",")[col]) * 10, 0);
    let written = 0;
    for (let i = 0; i < N; i++) written += itKw(i) * 10;
    expect(fromCsv).toBe(written);
    expect(lines[1]!.split(",")[header.indexOf("dump_kw")]).toBe("");
    const part = cli("export", "--db", db, "--from", "2026-02-02T07:00:00+01:00", "--to", "2026-02-02T06:30:00Z");
    expect(part.status).toBe(0);
    expect(part.stdout.trim().split("\n")).toHaveLength(1 + 180);
  });

  it("report --db: the operation report with its KPIs from the cycles and the modes", () => {
    const out = join(dir, "report.html");
    const r = cli("report", "--db", db, "--out", out);
    expect(r.status).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Operation report");
    expect(html).toContain(`${N} cycles`);
    // 600 kW of heat-pump heat for 2 h is 1.2 MWh; 500 kW sold is 1.0 MWh.
    expect(html).toMatch(/Heat sold to the network<\/td><td[^>]*>1(\.0+)?</);
  });

  it("bad input: one line naming what is wrong, exit 2, and a refused file left as it was", () => {
    const garbage = join(dir, "garbage.sqlite");
    writeFileSync(garbage, "not a database ".repeat(500));
    const before = readFileSync(garbage);
    const cases: [string[], RegExp][] = [
      [["export", "--db", join(dir, "none.sqlite")], /none\.sqlite: expected a history database \(no such file\)/],
      [["export", "--db", garbage], /garbage\.sqlite: expected a chaleur history database \(the file is not an SQLite database/],
      [["report", "--db", garbage, "--out", join(dir, "x.html")], /garbage\.sqlite: expected a chaleur history database/],
      [["export", "--db", db, "--from", "yesterday"], /--from: expected an ISO 8601 time with its offset/],
      [["export", "--db", db, "--from", "2026-02-03", "--to", "2026-02-02"], /--to: expected a time after --from/],
      [["export", "--db", db, "--from", "2027-01-01"], /expected cycles in the period asked for/],
    ];
    for (const [args, says] of cases) {
      const r = cli(...args);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(says);
      expect(r.status).toBe(2);
    }
    expect(readFileSync(garbage).equals(before)).toBe(true);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { loadModel } from "../src/config/plant-model.ts";
import { openWritableHistory } from "../src/store/history.ts";
import { sqliteHistory } from "../src/daemon/history-port.ts";
import { resumeState } from "../src/daemon/resume.ts";
import { daemonForecaster } from "../src/daemon/forecasts.ts";
import { DropFolder } from "../src/io/drop-folder.ts";
import type { DropProblem } from "../src/forecast/drop-problems.ts";
import type { PlantMeasurementPort } from "../src/io/opcua/port.ts";
import { makeRig, T0 } from "./daemon-rig.ts";

/**
 * The daemon's core with its SQLite history and forecasters, on the in-process plant: every cycle is committed,
 * a plant without forecast arrays gets its prices from the drop folder (a bad file there is reported with its file
 * and line and changes nothing), and a new daemon on the same history takes over the plan in force.
 */
const dir = mkdtempSync(join(tmpdir(), "chaleur-daemon-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

describe("the daemon with its history", () => {
  it("commits each cycle, plans on drop-folder prices, reports a bad file, and a restart follows the plan in force", { timeout: 120_000 }, async () => {
    const model = loadModel("models/paris-chapelle.yaml");
    const drop = join(dir, "drop");
    mkdirSync(drop);
    // Hourly prices from an hour before T0 to two days after: 40 + 2·h €/MWh, h counted from T0.
    const rows = Array.from({ length: 50 }, (_, k) => `${iso(T0 + (k - 1) * 3_600_000)},${40 + 2 * (k - 1)}`);
    writeFileSync(join(drop, "prices.csv"), `time,price_el_eur_mwh\n${rows.join("\n")}\n`);
    writeFileSync(join(drop, "backwards.csv"), `time,price_el_eur_mwh\n${iso(T0)},10\n${iso(T0 + 7_200_000)},11\n${iso(T0 + 3_600_000)},12\n`);
    const problems: DropProblem[] = [];
    let clock = () => T0;
    const folder = new DropFolder({ dir: drop, nowMs: () => clock(), onProblem: (p) => problems.push(p), settleS: 0 });
    await folder.pollOnce();
    const file = join(dir, "history.sqlite");
    const history = openWritableHistory(file, { startedWallMs: 0, pid: 0, version: "test", config: "test", model: model.name });
    const rig = await makeRig(undefined, (nowMs, plant) => {
      // The plant publishes no forecast arrays: prices must come from the folder.
      const base = plant.measurements as unknown as PlantMeasurementPort;
      const measurements: PlantMeasurementPort = { read: () => base.read(), close: () => base.close(), connect: () => base.connect(), status: () => base.status(), readForecasts: () => Promise.reject(new Error("no forecast nodes on this server")) };
      const resume = resumeState(model, nowMs, 4 * 3600, history.reader.lastVerifiedPlan(nowMs), history.reader.lastGoodSamples(["hp1.running", "hp2.running"], nowMs, 600_000));
      return { measurements, history: sqliteHistory(history), forecaster: daemonForecaster({ model, nowMs, seed: (t, a, b) => history.reader.hourlyMeans(t, a, b), drop: folder }), resume };
    });
    clock = rig.nowMs;
    try {
      for (let k = 0; k < 60; k++) await rig.cycle();
      // The bad file: each of its problems named with file and line; the good file is in use (below).
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toMatch(/backwards\.csv: line \d+: /);
      expect(problems.some((p) => /time goes backwards/.test(p.message))).toBe(true);
      const db = new Database(file, { readonly: true });
      expect((db.prepare("SELECT count(*) AS n FROM cycles").get() as { n: number }).n).toBe(60);
      expect(db.prepare("SELECT from_mode, to_mode FROM mode_changes").all()).toEqual([{ from_mode: "starting", to_mode: "optimal" }]);
      db.close();
      const f = history.reader.forecasts(T0, T0 + 86_400_000, "price_el_eur_mwh")[0]!;
      expect(f.source).toBe(`drop folder: ${join(drop, "prices.csv")}`);
      // Step 1 of the first plan: its mean over the file's hourly values, computed here from the file's rule.
      const [a, b] = [f.boundsMs[1]!, f.boundsMs[2]!];
      const h = Math.floor((a - T0) / 3_600_000);
      expect(f.values[1]).toBeCloseTo(40 + 2 * h, 6);
      expect(b - a).toBe(900_000);
      // No file for the weather: the value observed now is held, and the history says how old it was.
      const outdoor = history.reader.forecasts(T0, T0 + 86_400_000, "outdoor_temp_c")[0]!;
      expect(outdoor.source).toBe("last known");
      expect(outdoor.why).toMatch(/no forecast nodes on this server; held at -?[\d.]+ measured \d+ s before/);
      const it = history.reader.forecasts(T0, T0 + 86_400_000, "it_heat_kw")[0]!;
      expect(it.source).toBe("model");
      // A new daemon on the same history (the first one died): its first cycle follows the plan the first made last.
      const last = rig.daemon.planStore;
      rig.newDaemon();
      await rig.cycle();
      expect(rig.logs.some((l) => l.event === "plan" && l.trigger === "restart")).toBe(true);
      const c = history.reader.lastCycle()!;
      expect(c.planMadeAtMs).toBe(last.madeAtMs);
      expect(rig.modes[0]).toBe("optimal");
    } finally {
      await rig.close();
      history.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { loadModel } from "../config/plant-model.ts";
import { loadPlcMap } from "../config/plc-schema.ts";
import { loadWireConfig } from "../config/wire-config.ts";
import { setpointRegisters } from "../io/modbus/setpoint-registers.ts";
import { createInProcessPlant } from "./in-process-plant.ts";
import { liveScenario } from "./live-plant.ts";

describe("the simulated plant behind the ports, in process", () => {
  it("reads like the wire (quality and all), writes through PLC logic, and falls back to safe when the heartbeat stops", async () => {
    const model = loadModel("models/paris-chapelle.yaml");
    const maps = ["heat-pumps", "substation", "greenhouse"].map((n) => loadPlcMap(`plc/${n}.yaml`));
    const tags = loadWireConfig("config/chaleur-demo.yaml").opcua.tags;
    let now = Date.UTC(2026, 0, 12, 8);
    const plant = createInProcessPlant(liveScenario(model, now, 2, 1), maps, tags, () => now, 60);
    let m = await plant.measurements.read();
    expect([...m.values()].every((s) => s.quality === "good")).toBe(true);
    const values = setpointRegisters({ hps: [{ id: "hp1", on: true, heatKw: 500 }, { id: "hp2", on: false, heatKw: 0 }], dhSoldKw: 600, ghDirectKw: 0, ghBoostKw: 0 }, "optimal");
    for (let k = 0; k < 20; k++) {
      // The daemon's cycle: setpoints first, then the heartbeat.
      expect((await plant.setpoints.write(values)).every((r) => r.ok)).toBe(true);
      await plant.setpoints.heartbeat();
      now += 10_000;
      plant.step();
    }
    m = await plant.measurements.read();
    expect(m.get("hp1.heat_kw")!.value).toBeGreaterThan(400);
    expect(m.get("hp2.heat_kw")!.value).toBe(0);
    // Heartbeat stops: after the watchdog the heat-pump PLC holds hp1 off.
    for (let k = 0; k < 6; k++) {
      now += 10_000;
      plant.step();
    }
    expect(plant.plcs.get("heat-pumps")!.inSafeMode()).toBe(true);
    for (let k = 0; k < 6; k++) {
      now += 10_000;
      plant.step();
    }
    m = await plant.measurements.read();
    expect(m.get("hp1.heat_kw")!.value).toBe(0);
    // A measurement gone wrong on the way is flagged, not passed on.
    plant.measurements.feed({ "gh.temp_c": Number.NaN });
    expect((await plant.measurements.read()).get("gh.temp_c")!.quality).toBe("bad_nan");
  });
});

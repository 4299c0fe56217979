import type { PlcMap } from "../config/plc-schema.ts";
import type { Scenario } from "../config/scenario.ts";
import type { TagConfig } from "../config/wire-config.ts";
import { FakeMeasurementPort } from "../io/opcua/fake.ts";
import { fakeSetpointPort, type LogicTransport } from "../io/modbus/fake.ts";
import type { PlcSetpointPort } from "../io/modbus/port.ts";
import type { PlcLogic } from "../io/modbus/plc-logic.ts";
import { createLivePlant, type LivePlant } from "./live-plant.ts";
import { setpointsFromRegisters } from "./plc-setpoints.ts";

/**
 * The simulated plant behind chaleur's ports without sockets: the live plant's measurements go through the same
 * quality pipeline as the OPC UA client's (the in-memory MeasurementPort), setpoints through the same Modbus
 * sessions, read-back and PLC logic (watchdog, clamps) as over TCP. What the daemon's core runs against in tests
 * and accelerated studies; `sim-plant` is the same plant behind the real protocols.
 */
const FORECAST_HOURS = 48;

/** A sensor or gateway fault: what the plant publishes for a tag instead of the true value (NaN, frozen, old, …). */
export type TagFault = (value: number | boolean, nowMs: number) => { value: unknown; sourceMs: number };

export interface InProcessPlant {
  measurements: FakeMeasurementPort;
  setpoints: PlcSetpointPort;
  plcs: Map<string, PlcLogic>;
  /** Tag faults by measurement, applied at every publish until deleted. */
  faults: Map<string, TagFault>;
  /** Each PLC's in-memory link: `offline = true` makes it stop answering, as a PLC switched off would. */
  transports: Map<string, LogicTransport>;
  live: LivePlant;
  /** Steps the physics to the clock's now (× speed since start) under the PLCs' effective setpoints, then publishes. */
  step(): void;
}

export function createInProcessPlant(sc: Scenario, maps: readonly PlcMap[], tags: readonly TagConfig[], clock: () => number, speed = 1): InProcessPlant {
  const live = createLivePlant(sc);
  const wallStartMs = clock();
  const measurements = new FakeMeasurementPort(tags, clock);
  const plcs = fakeSetpointPort(maps, clock);
  const byMeasurement = new Map(tags.map((t) => [t.measurement, t]));
  const faults = new Map<string, TagFault>();
  let forecastHourMs = Number.NaN;
  function publish(): void {
    // A link that is down carries nothing (the plant goes on; the fake's feed would refuse).
    if (!measurements.status().connected) return;
    const feed: Record<string, { value: unknown; sourceMs: number }> = {};
    for (const [name, v] of live.measurements()) {
      if (!byMeasurement.has(name)) continue;
      const fault = faults.get(name);
      feed[name] = fault ? fault(v.value, clock()) : { value: v.value, sourceMs: clock() };
    }
    measurements.feed(feed);
    // The plant's forecast feeds, refreshed every simulated hour as a weather or market service would.
    const hourMs = Math.floor(live.simMs / 3_600_000) * 3_600_000;
    if (hourMs !== forecastHourMs) {
      forecastHourMs = hourMs;
      measurements.setForecasts(live.forecasts(FORECAST_HOURS));
    }
  }
  publish();
  return {
    measurements,
    setpoints: plcs.port,
    plcs: plcs.logic,
    transports: plcs.transports,
    faults,
    live,
    step(): void {
      const regs: Record<string, number> = {};
      for (const l of plcs.logic.values()) Object.assign(regs, l.effective());
      live.advanceTo(sc.startMs + (clock() - wallStartMs) * speed, setpointsFromRegisters(sc.model, regs));
      publish();
    },
  };
}

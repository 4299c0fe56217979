import pino from "pino";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { createInProcessPlant, type InProcessPlant } from "../src/sim/in-process-plant.ts";
import { liveScenario } from "../src/sim/live-plant.ts";
import { Daemon, type DaemonDeps } from "../src/daemon/cycle.ts";
import { daemonDepsFrom } from "../src/daemon/wiring.ts";
import type { PlanRequest, PlanResult, Planner } from "../src/control/planner.ts";
import { ColumnsRecorder, timeseriesColumns } from "../src/report/record.ts";
import { WorkerPlanner } from "../src/daemon/worker-planner.ts";
import type { Mode } from "../src/control/types.ts";
import type { Plan } from "../src/optimizer/plan-types.ts";

/**
 * The daemon's core against the simulated plant in process (no sockets): the live plant behind the fake OPC UA
 * port and in-memory PLCs (same sessions, PLC logic and watchdog as over TCP), one clock for all, stepped by hand.
 */
export const T0 = Date.parse("2026-01-13T05:00:00Z");

/** A planner whose backend a test swaps at run time: a fault is injected, then cleared. */
export class SwitchPlanner implements Planner {
  current: Planner;
  constructor(p: Planner) {
    this.current = p;
  }
  plan(req: PlanRequest): Promise<PlanResult> {
    return this.current.plan(req);
  }
  async close(): Promise<void> {
    await this.current.close();
  }
}

export interface Rig {
  plant: InProcessPlant;
  daemon: Daemon;
  planner: SwitchPlanner;
  logs: Record<string, unknown>[];
  modes: Mode[];
  /** The plan the last cycle followed (a plan it asked for may arrive after its write). */
  planAtWrite: Plan | null;
  nowMs(): number;
  /** Advances the clock by the I/O period, steps the plant, runs a cycle and waits for a plan it asked for. */
  cycle(inject?: () => void): Promise<void>;
  /** Advances time without any cycle (the daemon is dead): the plant and the PLC watchdogs go on. */
  idle(seconds: number): void;
  newDaemon(): Daemon;
  close(): Promise<void>;
}

/** extra: deps for each daemon the rig makes (a history, a forecaster, a wrapped port), given the rig's clock. */
export async function makeRig(planner?: Planner, extra?: (nowMs: number, plant: InProcessPlant) => Partial<DaemonDeps>): Promise<Rig> {
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  let now = T0;
  const clock = () => now;
  const plant = createInProcessPlant(liveScenario(cfg.model, T0, 3, 7), cfg.maps, cfg.wire.opcua.tags, clock, 1);
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) });
  const switcher = new SwitchPlanner(planner ?? new WorkerPlanner({ model: cfg.model, solver: "highs" }));
  const modes: Mode[] = [];
  const make = () => {
    const recorder = new ColumnsRecorder(timeseriesColumns(cfg.model), 100_000, cfg.model.heatPumps.length);
    const d = new Daemon({ ...daemonDepsFrom(cfg), measurements: plant.measurements, setpoints: plant.setpoints, planner: switcher, recorder, clock: { nowMs: clock, rate: 1 }, log, ...extra?.(now, plant) });
    d.status$.subscribe((s) => {
      if (s.cycles > 0 && modes.length < s.cycles) modes.push(s.mode);
    });
    return d;
  };
  const rig: Rig = {
    plant,
    daemon: make(),
    planner: switcher,
    logs,
    modes,
    planAtWrite: null,
    nowMs: clock,
    async cycle(inject?: () => void) {
      now += cfg.control.ioPeriodS * 1000;
      plant.step();
      inject?.();
      await rig.daemon.cycle();
      rig.planAtWrite = rig.daemon.planStore.plan;
      await rig.daemon.planSettled();
    },
    idle(seconds: number) {
      for (let s = 0; s < seconds; s += 10) {
        now += 10_000;
        plant.step();
      }
    },
    newDaemon() {
      rig.modes.length = 0;
      rig.daemon = make();
      return rig.daemon;
    },
    async close() {
      await switcher.close();
    },
  };
  return rig;
}

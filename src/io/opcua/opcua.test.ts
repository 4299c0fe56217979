import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AttributeIds, BrowseDirection, DataType, LogLevel, NodeClass, OPCUAClient, setLogLevel, UserTokenType, Variant, VariantArrayType, type ClientSession } from "node-opcua";
import { forecastCatalogue, simNodeId, type MeasurementSpec } from "../catalogue.ts";
import type { Sample } from "../types.ts";
import { createOpcuaMeasurementPort, simForecastNodes, type OpcuaMeasurementPort, type OpcuaTag } from "./client.ts";
import { makeCertificateManager } from "./pki.ts";
import { startOpcuaServer, type OpcuaPlantServer } from "./server.ts";
import { catalogueTags, parisCatalogue, plausibleValue, startRelay, tmpDataDir, waitForSamples } from "./test-helpers.ts";

// node-opcua's warnings (certificate dumps, PKCS#1 notices) drown the test report; errors still show.
setLogLevel(LogLevel.Error);

const USER = { username: "chaleur", password: "s3cret-for-tests" };
const specs = parisCatalogue();
const spec = (name: string): MeasurementSpec => specs.find((s) => s.name === name)!;
/** A tag the server does not serve: it must read as comm_error, not break the others. */
const GHOST: OpcuaTag = { nodeId: "ns=1;s=no.such.node", measurement: "ghost", min: 0, max: 1, maxAgeS: 60 };
/** The facility supply temperature is a noisy analog sensor: it is the one checked for freezing. */
const FROZEN_TAG = "dc.fw_supply_temp_c";
const MAX_AGE_S = 60;

let now = Date.now();
const clock = () => now;
const tmp = tmpDataDir("opcua");
let server: OpcuaPlantServer;
let port: OpcuaMeasurementPort;
let rawCm: ReturnType<typeof makeCertificateManager> | undefined;

async function startServer(portNumber: number): Promise<OpcuaPlantServer> {
  return startOpcuaServer({ port: portNumber, dataDir: `${tmp.dir}/server`, measurements: specs, forecasts: forecastCatalogue(), users: [USER], securityModes: ["None", "SignAndEncrypt"] });
}

/** Every catalogue measurement at a plausible value, stamped at `sourceMs`. */
function allPlausible(sourceMs: number) {
  return new Map(specs.map((s, i) => [s.name, { value: plausibleValue(s, i), sourceMs }]));
}

/** A plain node-opcua session, to look at the server as any client would. */
async function rawSession<T>(fn: (s: ClientSession) => Promise<T>): Promise<T> {
  // its own store in the tmp folder: without one node-opcua would create a certificate under the home folder
  rawCm ??= makeCertificateManager(tmp.dir, "raw-client", { autoAccept: true, watchFiles: false });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: rawCm });
  await client.connect(server.endpointUrl);
  try {
    const session = await client.createSession({ type: UserTokenType.UserName, userName: USER.username, password: USER.password });
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  } finally {
    await client.disconnect();
  }
}

/**
 * Timers and intervals that client.ts starts while tracking, and which of them are still pending (neither cleared
 * nor, for a timeout, fired): what a closed port must not leave behind.
 */
function trackClientTimers(): { pending(): string[]; stop(): void } {
  const live = new Map<unknown, string>();
  // Only timers client.ts itself starts: node-opcua's own, even when called from client.ts, are its business.
  const fromClient = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const frames = (new Error().stack ?? "").split("\n").slice(1);
    Error.stackTraceLimit = limit;
    const caller = frames.find((f) => !f.includes("/src/io/opcua/opcua.test.ts") && !/node_modules\/(@vitest|tinyspy)\//.test(f));
    return caller?.includes("/src/io/opcua/client.ts") ?? false;
  };
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const realClearTimeout = globalThis.clearTimeout;
  const realClearInterval = globalThis.clearInterval;
  const spies = [
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const h = realSetTimeout((...a: unknown[]) => {
        live.delete(h);
        fn(...a);
      }, ms, ...args);
      if (fromClient()) live.set(h, `setTimeout(${ms})`);
      return h;
    }) as typeof setTimeout),
    vi.spyOn(globalThis, "setInterval").mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const h = realSetInterval(fn, ms, ...args);
      if (fromClient()) live.set(h, `setInterval(${ms})`);
      return h;
    }) as typeof setInterval),
    vi.spyOn(globalThis, "clearTimeout").mockImplementation(((h?: NodeJS.Timeout) => {
      live.delete(h);
      realClearTimeout(h);
    }) as typeof clearTimeout),
    vi.spyOn(globalThis, "clearInterval").mockImplementation(((h?: NodeJS.Timeout) => {
      live.delete(h);
      realClearInterval(h);
    }) as typeof clearInterval),
  ];
  return { pending: () => [...live.values()], stop: () => spies.forEach((s) => s.mockRestore()) };
}

beforeAll(async () => {
  server = await startServer(0);
  const tags = catalogueTags(specs, MAX_AGE_S).map((t) => (t.measurement === FROZEN_TAG ? { ...t, detectFrozen: true } : t));
  port = createOpcuaMeasurementPort(
    { endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: [...tags, GHOST], forecasts: simForecastNodes(), publishingIntervalMs: 50, samplingIntervalMs: 0, reconnectInitialDelayMs: 200, reconnectMaxDelayMs: 1000 },
    clock,
  );
}, 30_000);

afterAll(async () => {
  await port?.close();
  await server?.stop();
  tmp.remove();
});

describe("OPC UA plant link over loopback", () => {
  it("reads comm_error 'no value yet' before connecting", async () => {
    const s = await port.read();
    expect(s.size).toBe(specs.length + 1);
    for (const sample of s.values()) expect(sample).toMatchObject({ quality: "comm_error", detail: "no value yet" });
  });

  it("reads back every catalogue measurement with the value and source timestamp the server was given", async () => {
    await port.connect();
    now = Date.now();
    const base = now - 5000;
    server.update(new Map(specs.map((s, i) => [s.name, { value: plausibleValue(s, i), sourceMs: base - i * 1000 }])));
    const got = await waitForSamples(() => port.read(), (m) => specs.every((s) => m.get(s.name)?.quality === "good"));
    specs.forEach((s, i) => {
      const v = plausibleValue(s, i);
      expect(got.get(s.name), s.name).toMatchObject({ quality: "good", value: typeof v === "boolean" ? Number(v) : v, sourceMs: base - i * 1000 });
    });
    expect(port.status()).toMatchObject({ connected: true, connects: 1 });
  });

  it("a node the server lacks reads comm_error naming the node, without disturbing the others", async () => {
    const got = await port.read();
    expect(got.get("ghost")).toMatchObject({ quality: "comm_error" });
    expect(got.get("ghost")!.detail).toMatch(/ns=1;s=no\.such\.node: BadNodeIdUnknown/);
    expect(got.get("dc.it_heat_kw")!.quality).toBe("good");
  });

  it("serves a browsable address space: Plant, equipment folders, AnalogItems with units and range", async () => {
    await rawSession(async (session) => {
      const names = async (nodeId: string) => {
        const r = await session.browse({ nodeId, browseDirection: BrowseDirection.Forward, resultMask: 63, includeSubtypes: true, referenceTypeId: "HierarchicalReferences" });
        return new Map((r.references ?? []).map((ref) => [ref.browseName.name!, ref]));
      };
      const objects = await names("ns=0;i=85");
      const plant = objects.get("Plant");
      expect(plant).toBeDefined();
      const folders = await names(plant!.nodeId.toString());
      for (const f of new Set(specs.map((s) => s.folder[0]!))) expect(folders.has(f), f).toBe(true);
      expect(folders.has("Forecasts")).toBe(true);
      const hps = await names(folders.get("HeatPumps")!.nodeId.toString());
      expect([...hps.keys()].sort()).toEqual(["hp1", "hp2"]);
      const hp1 = await names(hps.get("hp1")!.nodeId.toString());
      expect([...hp1.keys()].sort()).toEqual(["Available", "ElectricPower", "HeatOutput", "Running", "TimeInState"]);
      const heat = hp1.get("HeatOutput")!;
      expect(heat.nodeClass).toBe(NodeClass.Variable);
      expect(heat.nodeId.toString()).toBe(simNodeId("hp1.heat_kw"));
      const props = await names(heat.nodeId.toString());
      const [eu, range, desc, dataType] = await session.read([
        { nodeId: props.get("EngineeringUnits")!.nodeId, attributeId: AttributeIds.Value },
        { nodeId: props.get("EURange")!.nodeId, attributeId: AttributeIds.Value },
        { nodeId: heat.nodeId, attributeId: AttributeIds.Description },
        { nodeId: heat.nodeId, attributeId: AttributeIds.DataType },
      ]);
      expect(eu!.value.value.displayName.text).toBe("kW");
      expect(range!.value.value).toMatchObject({ low: 0, high: spec("hp1.heat_kw").max });
      expect(desc!.value.value.text).toBe(spec("hp1.heat_kw").description);
      expect(dataType!.value.value.toString()).toBe("ns=0;i=11"); // Double
      const running = await session.read({ nodeId: simNodeId("hp1.running"), attributeId: AttributeIds.DataType });
      expect(running.value.value.toString()).toBe("ns=0;i=1"); // Boolean
    });
  });

  it("refuses a write to a measurement, and the value stays what the plant said", async () => {
    const [access, userAccess] = await rawSession((s) =>
      s.read([
        { nodeId: simNodeId("dh.demand_kw"), attributeId: AttributeIds.AccessLevel },
        { nodeId: simNodeId("dh.demand_kw"), attributeId: AttributeIds.UserAccessLevel },
      ]),
    );
    expect(access!.value.value).toBe(1); // CurrentRead only
    expect(userAccess!.value.value).toBe(1);
    const status = await rawSession((s) => s.write({ nodeId: simNodeId("dh.demand_kw"), attributeId: AttributeIds.Value, value: { value: new Variant({ dataType: DataType.Double, value: 99_999 }) } }));
    expect(status.name).toMatch(/^Bad(NotWritable|UserAccessDenied)$/);
    const after = await rawSession((s) => s.read({ nodeId: simNodeId("dh.demand_kw"), attributeId: AttributeIds.Value }));
    expect(after.value.value).not.toBe(99_999);
  });

  it("flags each kind of hostile value at the wire, never as good", async () => {
    now = Date.now();
    server.update(allPlausible(now));
    await waitForSamples(() => port.read(), (m) => specs.every((s) => m.get(s.name)?.quality === "good"));
    const t = now;
    server.update(
      new Map([
        ["dc.it_heat_kw", { value: -50, sourceMs: t }],
        ["hp1.heat_kw", { value: Number.NaN, sourceMs: t }],
        ["hp2.heat_kw", { value: Number.POSITIVE_INFINITY, sourceMs: t }],
        ["dh.demand_kw", { value: 100, sourceMs: t, good: false }],
        ["weather.outdoor_temp_c", { value: 5, sourceMs: t - 10 * 60_000 }],
      ]),
    );
    server.forceRaw("dh.sold_kw", new Variant({ dataType: DataType.String, value: "1200" }), t);
    server.forceRaw("dump.heat_kw", new Variant({ dataType: DataType.Boolean, value: true }), t);
    server.forceRaw("hp1.running", new Variant({ dataType: DataType.Double, value: 1 }), t);
    server.forceRaw("chiller.heat_kw", new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array([1, 2]) }), t);
    server.forceRaw("gh.temp_c", new Variant({ dataType: DataType.Null }), t);
    const expected: Record<string, Sample["quality"]> = {
      "dc.it_heat_kw": "bad_range",
      "hp1.heat_kw": "bad_nan",
      "hp2.heat_kw": "bad_nan",
      "dh.demand_kw": "bad_source",
      "weather.outdoor_temp_c": "stale",
      "dh.sold_kw": "bad_type",
      "dump.heat_kw": "bad_type",
      "hp1.running": "bad_type",
      "chiller.heat_kw": "bad_type",
      "gh.temp_c": "bad_type",
    };
    const got = await waitForSamples(() => port.read(), (m) => Object.entries(expected).every(([n, q]) => m.get(n)?.quality === q));
    expect(got.get("dh.demand_kw")!.detail).toMatch(/BadSensorFailure/);
    expect(got.get("dh.sold_kw")!.detail).toMatch(/got string/);
    // untouched measurements stay good
    expect(got.get("hp2.elec_kw")!.quality).toBe("good");

    // Frozen: the gateway keeps re-stamping the same value; each re-stamp arrives, and after maxAgeS it is frozen.
    const frozenValue = plausibleValue(spec(FROZEN_TAG), 0) as number;
    for (const dt of [0, 30_000, 61_000]) {
      now = t + dt; // the receiver's clock moves with the source's (a source time ahead of it would be refused)
      server.update(new Map([[FROZEN_TAG, { value: frozenValue, sourceMs: t + dt }]]));
      await waitForSamples(() => port.read(), (m) => m.get(FROZEN_TAG)?.sourceMs === t + dt);
    }
    now = t + 61_000;
    expect((await port.read()).get(FROZEN_TAG)).toMatchObject({ quality: "frozen", value: frozenValue });
    // a measurement not checked for freezing, re-stamped the same way, stays good
    server.update(new Map([["hp1.available", { value: true, sourceMs: t + 61_000 }]]));
    await waitForSamples(() => port.read(), (m) => m.get("hp1.available")?.sourceMs === t + 61_000);
    expect((await port.read()).get("hp1.available")!.quality).toBe("good");
  });

  it("update() refuses an unknown name or a wrong type before serving anything", async () => {
    now = Date.now();
    server.update(allPlausible(now));
    await waitForSamples(() => port.read(), (m) => m.get("dc.it_heat_kw")?.sourceMs === now);
    expect(() => server.update(new Map([["dc.it_heat_kw", { value: 1, sourceMs: now + 1 }], ["no.such", { value: 1, sourceMs: now + 1 }]]))).toThrow(/unknown measurement no\.such/);
    expect(() => server.update(new Map([["dc.it_heat_kw", { value: 2, sourceMs: now + 1 }], ["hp1.running", { value: 1, sourceMs: now + 1 }]]))).toThrow(/hp1\.running is a boolean/);
    // neither call served its valid first entry
    await new Promise((r) => setTimeout(r, 300));
    expect((await port.read()).get("dc.it_heat_kw")!.sourceMs).toBe(now);
  });

  it("reads the forecast arrays on demand", async () => {
    const series = Object.fromEntries(forecastCatalogue().map((f, i) => [f.name, Array.from({ length: 48 }, (_, k) => i * 100 + k / 4)]));
    const startMs = Date.UTC(2025, 0, 15, 12);
    server.updateForecasts({ startMs, stepS: 3600, series });
    expect(await port.readForecasts()).toEqual({ startMs, stepS: 3600, series });
  });

  it("refuses a forecast array holding NaN or an infinity, naming the forecast and its node", async () => {
    const startMs = Date.UTC(2025, 0, 15, 12);
    const sound = Object.fromEntries(forecastCatalogue().map((f) => [f.name, Array.from({ length: 24 }, (_, k) => 10 + k)]));
    const name = forecastCatalogue()[2]!.name;
    try {
      for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY]) {
        server.updateForecasts({ startMs, stepS: 3600, series: { ...sound, [name]: sound[name]!.map((v, k) => (k === 5 ? bad : v)) } });
        await expect(port.readForecasts()).rejects.toThrow(`OPC UA: forecast ${name} (${simNodeId(name)}) on ${server.endpointUrl} has a non-finite value at index 5 (${String(bad)})`);
      }
    } finally {
      server.updateForecasts({ startMs, stepS: 3600, series: sound });
    }
    expect((await port.readForecasts()).series[name]).toEqual(sound[name]);
  });

  it("refuses a forecast start that is no DateTime and a step that is not a positive number, naming the node", async () => {
    // Forecast nodes pointed at measurement nodes (Doubles), which a test can set to anything.
    const forecasts = { ...simForecastNodes(), startNodeId: simNodeId("dc.it_heat_kw"), stepNodeId: simNodeId("hp1.heat_kw") };
    const odd = createOpcuaMeasurementPort(
      { endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs.slice(0, 1), 60), forecasts, publishingIntervalMs: 50 },
      clock,
    );
    const t = Date.now();
    try {
      await odd.connect();
      await expect(odd.readForecasts()).rejects.toThrow(/^OPC UA: forecast start ns=1;s=dc\.it_heat_kw on opc\.tcp:\/\/127\.0\.0\.1:\d+ is not a valid DateTime \(got [\d.]+\)$/);
      server.forceRaw("dc.it_heat_kw", new Variant({ dataType: DataType.DateTime, value: new Date(t) }), t);
      for (const [step, shown] of [[0, "0"], [-60, "-60"], [Number.POSITIVE_INFINITY, "Infinity"]] as const) {
        server.forceRaw("hp1.heat_kw", new Variant({ dataType: DataType.Double, value: step }), t);
        await expect(odd.readForecasts()).rejects.toThrow(`OPC UA: forecast step ns=1;s=hp1.heat_kw on ${server.endpointUrl} is not a positive number of seconds (got ${shown})`);
      }
      server.forceRaw("hp1.heat_kw", new Variant({ dataType: DataType.Double, value: 900 }), t);
      expect(await odd.readForecasts()).toMatchObject({ startMs: t, stepS: 900 });
    } finally {
      await odd.close();
    }
  });

  it("node-opcua cannot connect to an IPv6 literal, which is why endpoint-url.ts refuses them", async () => {
    // If this starts failing, node-opcua has learned bracketed hosts: allow them in endpoint-url.ts.
    rawCm ??= makeCertificateManager(tmp.dir, "raw-client", { autoAccept: true, watchFiles: false });
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: rawCm });
    try {
      await expect(client.connect(`opc.tcp://[::1]:${server.port}`)).rejects.toThrow(/ENOTFOUND \[::1\]/);
    } finally {
      await client.disconnect();
    }
  });

  it("connect() to an endpoint nobody listens on rejects with a one-line message", async () => {
    const dead = createOpcuaMeasurementPort({ endpointUrl: "opc.tcp://localhost:1", securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs.slice(0, 1), 60) }, clock);
    await expect(dead.connect()).rejects.toThrow(/^OPC UA: opc\.tcp:\/\/localhost:1 unreachable \(ECONNREFUSED\)$/);
    expect([...(await dead.read()).values()][0]).toMatchObject({ quality: "comm_error", detail: "OPC UA: opc.tcp://localhost:1 unreachable (ECONNREFUSED)" });
    await dead.close();
  });

  // Where close() overtakes the first connect(): before any socket, and once the server has created the session.
  it.each([
    ["before it has reached the server", async () => undefined],
    ["once the server has created the session", () => server.nextSession()],
  ])("close() during the first connect() (%s): connect() rejects, nothing is left open or running, nothing reconnects", async (_when, closeAfter) => {
    const sessionsBefore = server.sessionCount();
    const timers = trackClientTimers();
    try {
      const p = createOpcuaMeasurementPort(
        { endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs.slice(0, 1), 60), publishingIntervalMs: 50, reconnectInitialDelayMs: 50 },
        clock,
      );
      // Chosen behaviour: connect() rejects, so that a caller never takes a closed port for a connected one.
      const outcome = p.connect().then(
        () => "resolved",
        (e: Error) => e.message,
      );
      await closeAfter();
      await p.close();
      // close() has waited for the overtaken attempt, which closed what it had opened
      expect(server.sessionCount()).toBe(sessionsBefore);
      expect(timers.pending()).toEqual([]);
      expect(await outcome).toBe(`OPC UA: measurement port closed before the connection to ${server.endpointUrl} was up`);
      expect(timers.pending()).toEqual([]);
      expect(p.status()).toMatchObject({ connected: false, connects: 0 });
      // well past the reconnection delay: no attempt starts on a closed port
      await new Promise((r) => setTimeout(r, 400));
      expect(timers.pending()).toEqual([]);
      expect(server.sessionCount()).toBe(sessionsBefore);
      await expect(p.connect()).rejects.toThrow("OPC UA: measurement port is closed");
    } finally {
      timers.stop();
    }
  });

  it("without forecast nodes in its config, readForecasts() says so (no default node ids)", async () => {
    const bare = createOpcuaMeasurementPort({ endpointUrl: server.endpointUrl, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs.slice(0, 1), MAX_AGE_S), publishingIntervalMs: 50 }, clock);
    try {
      await bare.connect();
      await expect(bare.readForecasts()).rejects.toThrow(/^OPC UA: no forecast nodes configured \(opcua\.forecasts in the config\)$/);
    } finally {
      await bare.close();
    }
  });

  it("readForecasts() gives up on a server that stops answering, after readTimeoutMs", async () => {
    const relay = await startRelay(server.port);
    const viaRelay = createOpcuaMeasurementPort(
      { endpointUrl: `opc.tcp://localhost:${relay.port}`, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs.slice(0, 1), MAX_AGE_S), forecasts: simForecastNodes(), publishingIntervalMs: 50, readTimeoutMs: 300 },
      clock,
    );
    try {
      await viaRelay.connect();
      await viaRelay.readForecasts();
      relay.silence();
      const t0 = Date.now();
      // the watchdog would only notice after 3 s of silence: the read must not wait for it
      await expect(viaRelay.readForecasts()).rejects.toThrow(/^OPC UA: reading forecasts from opc\.tcp:\/\/localhost:\d+: no answer within 0\.3 s \(ETIMEDOUT\)$/);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      relay.restore();
      await viaRelay.close();
      await relay.close();
    }
  }, 15_000);

  it("a link that goes silent without closing (no keep-alive) is declared dead, then recovers", async () => {
    const relay = await startRelay(server.port);
    const viaRelay = createOpcuaMeasurementPort(
      { endpointUrl: `opc.tcp://localhost:${relay.port}`, securityMode: "None", securityPolicy: "None", ...USER, dataDir: `${tmp.dir}/client`, tags: catalogueTags(specs, MAX_AGE_S), publishingIntervalMs: 50, reconnectInitialDelayMs: 200, reconnectMaxDelayMs: 500, connectTimeoutMs: 1000 },
      clock,
    );
    try {
      await viaRelay.connect();
      now = Date.now();
      server.update(allPlausible(now));
      await waitForSamples(() => viaRelay.read(), (m) => [...m.values()].every((s) => s.quality === "good"));
      relay.silence();
      // keep-alive every 0.5 s at this publishing interval: dead after twice that plus 2 s of silence
      const down = await waitForSamples(() => viaRelay.read(), (m) => [...m.values()].every((s) => s.quality === "comm_error"), 6000);
      expect([...down.values()][0]!.detail).toMatch(/^no answer from opc\.tcp:\/\/localhost:\d+ for 3\.0 s$/);
      relay.restore();
      now = Date.now();
      server.update(allPlausible(now));
      await waitForSamples(() => viaRelay.read(), (m) => [...m.values()].every((s) => s.quality === "good"), 8000);
      expect(viaRelay.status()).toMatchObject({ connected: true, connects: 2 });
    } finally {
      await viaRelay.close();
      await relay.close();
    }
  }, 30_000);

  it("when the server stops every tag reads comm_error; after a restart on the same port values are good again", async () => {
    now = Date.now();
    server.update(allPlausible(now));
    await waitForSamples(() => port.read(), (m) => specs.every((s) => m.get(s.name)?.quality === "good"));
    const portNumber = server.port;
    const t0 = Date.now();
    await server.stop();
    const down = await waitForSamples(() => port.read(), (m) => [...m.values()].every((s) => s.quality === "comm_error"), 8000);
    const lostAfterMs = Date.now() - t0;
    expect(lostAfterMs).toBeLessThan(8000);
    for (const s of down.values()) expect(Number.isNaN(s.value)).toBe(true);
    expect(port.status().connected).toBe(false);

    server = await startServer(portNumber);
    now = Date.now();
    server.update(allPlausible(now));
    await waitForSamples(() => port.read(), (m) => specs.every((s) => m.get(s.name)?.quality === "good"), 15_000);
    expect(port.status()).toMatchObject({ connected: true, connects: 2 });
  }, 40_000);
});

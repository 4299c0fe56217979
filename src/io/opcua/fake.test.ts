import { describe, expect, it } from "vitest";
import { FakeMeasurementPort } from "./fake.ts";
import type { TagSpec } from "./tag-cache.ts";

const TAGS: TagSpec[] = [
  { measurement: "dc.it_heat_kw", min: 0, max: 5000, maxAgeS: 30, maxRatePerS: 100 },
  { measurement: "dc.fw_supply_temp_c", min: 0, max: 60, maxAgeS: 30, detectFrozen: true },
  { measurement: "hp1.running", min: 0, max: 1, maxAgeS: 30, kind: "boolean" },
];

function setup(connected = true) {
  let now = 1_700_000_000_000;
  const clock = () => now;
  const port = new FakeMeasurementPort(TAGS, clock, { connected });
  return { port, advance: (ms: number) => (now += ms), at: () => now };
}

describe("in-memory measurement port", () => {
  it("reads comm_error 'no value yet' for a tag never fed, good once fed", async () => {
    const { port, at } = setup();
    expect((await port.read()).get("dc.it_heat_kw")).toMatchObject({ quality: "comm_error", detail: "no value yet" });
    port.feed({ "dc.it_heat_kw": 1200, "hp1.running": true, "dc.fw_supply_temp_c": { value: 32, sourceMs: at() - 2000 } });
    const s = await port.read();
    expect(s.get("dc.it_heat_kw")).toMatchObject({ quality: "good", value: 1200, sourceMs: at(), receivedMs: at() });
    expect(s.get("hp1.running")).toMatchObject({ quality: "good", value: 1 });
    expect(s.get("dc.fw_supply_temp_c")).toMatchObject({ quality: "good", sourceMs: at() - 2000 });
  });

  it("applies the quality pipeline: type, NaN, range, rate, source status, then age at read time", async () => {
    const { port, advance, at } = setup();
    port.feed({ "dc.it_heat_kw": 1000, "hp1.running": 1, "dc.fw_supply_temp_c": "31" });
    let s = await port.read();
    expect(s.get("hp1.running")!.quality).toBe("bad_type"); // a number where the node is a boolean
    expect(s.get("dc.fw_supply_temp_c")!.quality).toBe("bad_type");
    advance(1000);
    port.feed({ "dc.it_heat_kw": 1500, "dc.fw_supply_temp_c": Number.NaN, "hp1.running": { value: true, good: false, statusDetail: "source status BadSensorFailure" } });
    s = await port.read();
    expect(s.get("dc.it_heat_kw")!.quality).toBe("bad_rate"); // 500 kW in 1 s, limit 100 kW/s
    expect(s.get("dc.fw_supply_temp_c")!.quality).toBe("bad_nan");
    expect(s.get("hp1.running")).toMatchObject({ quality: "bad_source", detail: "source status BadSensorFailure" });
    port.feed({ "dc.it_heat_kw": 6000, "dc.fw_supply_temp_c": 30, "hp1.running": false });
    expect((await port.read()).get("dc.it_heat_kw")!.quality).toBe("bad_range");
    advance(31_000);
    s = await port.read();
    expect(s.get("hp1.running")!.quality).toBe("stale");
    expect(s.get("dc.it_heat_kw")!.quality).toBe("bad_range"); // bad stays bad, whatever its age
    // re-stamped unchanged for longer than maxAgeS: frozen where checked, good elsewhere
    port.feed({ "dc.fw_supply_temp_c": 30, "hp1.running": false });
    s = await port.read();
    expect(s.get("dc.fw_supply_temp_c")!.quality).toBe("frozen");
    expect(s.get("hp1.running")).toMatchObject({ quality: "good", sourceMs: at() });
  });

  it("a dropped link turns every tag into comm_error with NaN, never the last value, until fed again", async () => {
    const { port, advance } = setup();
    port.feed({ "dc.it_heat_kw": 1000, "hp1.running": true, "dc.fw_supply_temp_c": 30 });
    const lastSource = (await port.read()).get("dc.it_heat_kw")!.sourceMs;
    advance(500);
    port.disconnect("connection to opc.tcp://plant:4840 lost");
    const s = await port.read();
    for (const sample of s.values()) {
      expect(sample.quality).toBe("comm_error");
      expect(Number.isNaN(sample.value)).toBe(true);
      expect(sample.detail).toBe("connection to opc.tcp://plant:4840 lost");
    }
    expect(s.get("dc.it_heat_kw")!.sourceMs).toBe(lastSource); // kept for "no value since"
    expect(port.status()).toMatchObject({ connected: false, lastError: "connection to opc.tcp://plant:4840 lost" });
    expect(() => port.feed({ "dc.it_heat_kw": 1 })).toThrow(/disconnected/);
    port.reconnect();
    port.feed({ "dc.it_heat_kw": 1010 });
    const after = await port.read();
    expect(after.get("dc.it_heat_kw")).toMatchObject({ quality: "good", value: 1010 });
    expect(after.get("hp1.running")!.quality).toBe("comm_error"); // not fed since the reconnect
    expect(port.status()).toMatchObject({ connected: true, connects: 2 });
  });

  it("a single failing tag reads comm_error while the others stay good", async () => {
    const { port } = setup();
    port.feed({ "dc.it_heat_kw": 1000, "hp1.running": true });
    port.failTag("hp1.running", "node ns=1;s=hp1.running: BadNodeIdUnknown");
    const s = await port.read();
    expect(s.get("hp1.running")).toMatchObject({ quality: "comm_error", detail: "node ns=1;s=hp1.running: BadNodeIdUnknown" });
    expect(s.get("dc.it_heat_kw")!.quality).toBe("good");
  });

  it("connect() can be made to fail with a message, and then succeed", async () => {
    const { port } = setup(false);
    port.failNextConnect("OPC UA: user 'x' rejected by opc.tcp://plant:4840: BadUserAccessDenied");
    await expect(port.connect()).rejects.toThrow("OPC UA: user 'x' rejected by opc.tcp://plant:4840: BadUserAccessDenied");
    expect(port.status()).toMatchObject({ connected: false, connects: 0 });
    await port.connect();
    expect(port.status()).toMatchObject({ connected: true, connects: 1 });
  });

  it("serves forecasts as copies, and refuses them when there are none", async () => {
    const { port } = setup();
    await expect(port.readForecasts()).rejects.toThrow(/not published any yet/);
    const f = { startMs: 0, stepS: 3600, series: { "forecast.outdoor_temp_c": [1, 2, 3] } };
    port.setForecasts(f);
    const got = await port.readForecasts();
    expect(got).toEqual(f);
    got.series["forecast.outdoor_temp_c"]![0] = 99;
    expect((await port.readForecasts()).series["forecast.outdoor_temp_c"]![0]).toBe(1);
  });

  it("rejects a configuration that could only mislead", () => {
    expect(() => new FakeMeasurementPort([TAGS[0]!, TAGS[0]!], () => 0)).toThrow(/configured twice/);
    expect(() => new FakeMeasurementPort([{ measurement: "x", min: 5, max: 1, maxAgeS: 1 }], () => 0)).toThrow(/min 5 is above max 1/);
    expect(() => new FakeMeasurementPort([{ measurement: "x", min: 0, max: 1, maxAgeS: 0 }], () => 0)).toThrow(/maxAgeS must be positive/);
  });

  it("after close() reads are refused rather than answered from a dead cache", async () => {
    const { port } = setup();
    await port.close();
    await expect(port.read()).rejects.toThrow(/closed/);
  });
});

import { describe, expect, it } from "vitest";
import { checkedForecast, type ForecastNodes } from "./forecast.ts";

const URL = "opc.tcp://plant:4840";
const NODES: ForecastNodes = { startNodeId: "ns=2;s=Fc.Start", stepNodeId: "ns=2;s=Fc.Step", series: { "forecast.price": "ns=2;s=Fc.Price", "forecast.temp": "ns=2;s=Fc.Temp" } };
const START = new Date(Date.UTC(2025, 0, 15, 12));
const good = () => ({ "forecast.price": [50, 60.5], "forecast.temp": [-2, 0] });

describe("forecast values off the wire", () => {
  it("passes a sound forecast through", () => {
    expect(checkedForecast(URL, NODES, START, 3600, good())).toEqual({ startMs: START.getTime(), stepS: 3600, series: good() });
  });

  it("refuses a start that is not a valid date, naming its node", () => {
    expect(() => checkedForecast(URL, NODES, new Date(Number.NaN), 3600, good())).toThrow(/^OPC UA: forecast start ns=2;s=Fc\.Start on opc\.tcp:\/\/plant:4840 is not a valid DateTime \(got an invalid date\)$/);
    expect(() => checkedForecast(URL, NODES, START.getTime(), 3600, good())).toThrow(/forecast start ns=2;s=Fc\.Start .* \(got 1736942400000\)$/);
    expect(() => checkedForecast(URL, NODES, null, 3600, good())).toThrow(/forecast start ns=2;s=Fc\.Start .* \(got no value\)$/);
  });

  it("refuses a step that is not a positive finite number, naming its node", () => {
    for (const [step, shown] of [[0, "0"], [-3600, "-3600"], [Number.NaN, "NaN"], [Number.POSITIVE_INFINITY, "Infinity"], ["3600", '"3600"']] as const) {
      expect(() => checkedForecast(URL, NODES, START, step, good())).toThrow(`OPC UA: forecast step ns=2;s=Fc.Step on ${URL} is not a positive number of seconds (got ${shown})`);
    }
  });

  it("refuses an array with NaN or an infinity, naming the forecast, its node and the index", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const series = { ...good(), "forecast.temp": [-2, 0, bad] };
      expect(() => checkedForecast(URL, NODES, START, 3600, series)).toThrow(`OPC UA: forecast forecast.temp (ns=2;s=Fc.Temp) on ${URL} has a non-finite value at index 2 (${String(bad)})`);
    }
  });

  it("refuses a series that is missing or not an array of numbers, on one line", () => {
    expect(() => checkedForecast(URL, NODES, START, 3600, { "forecast.price": [1] })).toThrow(`OPC UA: forecast forecast.temp (ns=2;s=Fc.Temp) on ${URL} is not an array of numbers (got no value)`);
    expect(() => checkedForecast(URL, NODES, START, 3600, { ...good(), "forecast.temp": "1\n2" })).toThrow(`OPC UA: forecast forecast.temp (ns=2;s=Fc.Temp) on ${URL} is not an array of numbers (got "1\\n2")`);
    expect(() => checkedForecast(URL, NODES, START, 3600, { ...good(), "forecast.temp": [1, "2"] })).toThrow(/is not an array of numbers \(got an array of 2\)$/);
  });
});

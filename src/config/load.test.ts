import { describe, expect, it } from "vitest";
import { parseYaml, readTextFile } from "./load.ts";
import { parseDurationS, parseInstantMs } from "./duration.ts";

describe("file and YAML loading", () => {
  it("a missing file is an input error naming it", () => {
    expect(() => readTextFile("nope/none.yaml")).toThrow("nope/none.yaml: expected an existing readable file (no such file)");
  });
  it("malformed YAML names the line", () => {
    expect(() => parseYaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")).toThrow(/^bad\.yaml: line \d+: expected valid YAML/);
  });
  it("duplicate keys are refused (the second would silently win)", () => {
    expect(() => parseYaml("a: 1\na: 2\n", "dup.yaml")).toThrow(/dup\.yaml: line 2: expected valid YAML/);
  });
});

describe("ISO 8601 durations and instants", () => {
  it("parses the durations scenarios use", () => {
    expect(parseDurationS("P7D")).toBe(604800);
    expect(parseDurationS("PT6H")).toBe(21600);
    expect(parseDurationS("P1DT12H30M")).toBe(131400);
    expect(parseDurationS("P365D")).toBe(31536000);
    expect(parseDurationS("7 days")).toBeNull();
    expect(parseDurationS("P")).toBeNull();
    expect(parseDurationS("PT")).toBeNull();
  });
  it("refuses naive local times, which are ambiguous at the DST change", () => {
    expect(parseInstantMs("2026-01-12T00:00:00+01:00")).toBe(Date.UTC(2026, 0, 11, 23));
    expect(parseInstantMs("2026-01-12T00:00:00Z")).toBe(Date.UTC(2026, 0, 12));
    expect(parseInstantMs("2026-01-12T00:00:00")).toBeNull();
    expect(parseInstantMs("2026-13-12T00:00:00Z")).toBeNull();
  });
});

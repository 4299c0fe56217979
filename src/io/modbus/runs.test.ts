import { describe, expect, it } from "vitest";
import type { RegisterSpec } from "../../config/plc-schema.ts";
import { decodeRun, encodeRun, runsOf } from "./runs.ts";

function reg(name: string, fn: RegisterSpec["fn"], address: number, type: RegisterSpec["type"] = "uint16"): RegisterSpec {
  return { name, description: "", address, fn, type, wordOrder: type.endsWith("32") ? "ABCD" : null, scale: 1, unit: "", min: 0, max: 1e6, safe: 0, access: "rw" };
}

describe("runs: one request per block of adjacent registers", () => {
  it("merges adjacent registers of one table, whatever order they come in, and never bridges a gap", () => {
    const runs = runsOf([reg("c", "holding", 12, "float32"), reg("a", "holding", 2), reg("b", "holding", 10, "float32"), reg("k", "coil", 1, "bool"), reg("j", "coil", 0, "bool")]);
    expect(runs.map((r) => [r.fn, r.address, r.count, r.regs.map((g) => g.name)])).toEqual([
      ["holding", 2, 1, ["a"]],
      ["holding", 10, 4, ["b", "c"]],
      ["coil", 0, 2, ["j", "k"]],
    ]);
  });

  it("puts holding registers (setpoints) before coils (enables), whatever order the names come in", () => {
    const runs = runsOf([reg("hp1_enable", "coil", 0, "bool"), reg("hp1_heat_setpoint_kw", "holding", 10, "float32"), reg("controller_mode", "holding", 2)]);
    expect(runs.map((r) => r.fn)).toEqual(["holding", "holding", "coil"]);
  });

  it("does not merge the same address in different tables", () => {
    expect(runsOf([reg("h", "holding", 0), reg("i", "input", 1)])).toHaveLength(2);
  });

  it("splits a block longer than one FC16 request (123 registers)", () => {
    const many = Array.from({ length: 130 }, (_, i) => reg(`r${i}`, "holding", i));
    expect(runsOf(many).map((r) => [r.address, r.count])).toEqual([[0, 123], [123, 7]]);
  });

  it("encodes and decodes a run register by register at the right offsets", () => {
    const [run] = runsOf([reg("a", "holding", 10, "float32"), reg("b", "holding", 12)]);
    const words = encodeRun(run!, { a: 123.456, b: 7 });
    expect(words).toEqual([0x42f6, 0xe979, 7]);
    const back = decodeRun(run!, words);
    expect(back.b).toBe(7);
    expect(back.a).toBeCloseTo(123.456, 4);
  });
});

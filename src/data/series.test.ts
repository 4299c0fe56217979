import { describe, expect, it } from "vitest";
import { InputError } from "../config/errors.ts";
import { fillGapsLinear, isEmptyCell, parseStrictNumber, readTextFile, splitCsvLine, splitLines } from "./series.ts";

describe("series helpers", () => {
  it("splitLines drops a BOM, CRLF and trailing blank lines", () => {
    expect(splitLines("\uFEFFa,b\r\n1,2\r\n\r\n")).toEqual(["a,b", "1,2"]);
  });

  it("splitCsvLine honours quotes and doubled quotes", () => {
    expect(splitCsvLine('a,"b,c","d""e",', ",")).toEqual(["a", "b,c", 'd"e', ""]);
    expect(splitCsvLine("x;y", ";")).toEqual(["x", "y"]);
  });

  it("parseStrictNumber refuses what Number() would quietly accept", () => {
    expect(parseStrictNumber(" -134.94 ")).toBe(-134.94);
    expect(parseStrictNumber("1e3")).toBe(1000);
    for (const s of ["", " ", "0x1f", "Infinity", "1,5", "abc"]) expect(parseStrictNumber(s)).toBeNaN();
    expect(["-", "n/e", "", "N/A"].every(isEmptyCell)).toBe(true);
  });

  it("fillGapsLinear interpolates inside and holds at the ends", () => {
    const v = new Float64Array([NaN, 1, NaN, NaN, 4, NaN]);
    expect(fillGapsLinear(v)).toEqual([
      { from: 0, to: 1 },
      { from: 2, to: 4 },
      { from: 5, to: 6 },
    ]);
    expect([...v]).toEqual([1, 1, 2, 3, 4, 4]);
    expect(() => fillGapsLinear(new Float64Array([NaN]))).toThrow(RangeError);
  });

  it("readTextFile names a missing file", () => {
    expect(() => readTextFile("/no/such/file.csv")).toThrow(InputError);
    expect(() => readTextFile("/no/such/file.csv")).toThrow("/no/such/file.csv: expected an existing readable file (ENOENT)");
  });
});

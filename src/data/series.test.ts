import { describe, expect, it } from "vitest";
import { InputError } from "../config/errors.ts";
import {
  fileLoader,
  fillGapsLinear,
  isEmptyCell,
  issueLog,
  parseStrictNumber,
  parseValueCell,
  splitCsvLine,
  splitLines,
  uncoveredRuns,
} from "./series.ts";
import { inputErrorMessage } from "./test-helpers.ts";

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

  it("fileLoader names a missing file (through the config loader's readTextFile)", () => {
    const load = fileLoader((text: string, file: string) => ({ text, file }));
    expect(() => load("/no/such/file.csv")).toThrow(InputError);
    expect(() => load("/no/such/file.csv")).toThrow("/no/such/file.csv: expected an existing readable file (no such file)");
  });

  it("parseValueCell reports an empty cell as NaN and names a bad one", () => {
    const { issues, issue } = issueLog("f.csv");
    const empty = () => issue(2, "missing-value", "empty");
    expect(parseValueCell("1.5", "f.csv", 2, "kw", empty)).toBe(1.5);
    expect(parseValueCell("n/e", "f.csv", 2, "kw", empty)).toBeNaN();
    expect(issues).toEqual([{ file: "f.csv", line: 2, kind: "missing-value", message: "empty" }]);
    expect(inputErrorMessage(() => parseValueCell("abc", "f.csv", 3, "kw", empty))).toBe("f.csv: line 3 column 'kw': expected a number (got 'abc')");
  });

  it("uncoveredRuns finds the slots no row covers", () => {
    expect(uncoveredRuns(new Int32Array([0, 2, 0, 0, 5, 0]))).toEqual([
      { from: 0, to: 1 },
      { from: 2, to: 4 },
      { from: 5, to: 6 },
    ]);
    expect(uncoveredRuns(new Int32Array([2, 3]))).toEqual([]);
  });
});

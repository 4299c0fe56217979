import { describe, expect, it } from "vitest";
import { decode, encode, quantize, resolution, withinResolution, type Encoding } from "./codec.ts";

const f32 = (wordOrder: "ABCD" | "CDAB"): Encoding => ({ type: "float32", scale: 1, wordOrder });
const int16 = (scale: number): Encoding => ({ type: "int16", scale, wordOrder: null });
const uint16: Encoding = { type: "uint16", scale: 1, wordOrder: null };
const bool: Encoding = { type: "bool", scale: 1, wordOrder: null };

describe("float32", () => {
  // 123.456 is 0x42F6E979 in IEEE-754 single precision (checked with Python's struct.pack('>f', 123.456)).
  it("123.456 as ABCD words: high word first", () => {
    expect(encode(f32("ABCD"), 123.456)).toEqual([0x42f6, 0xe979]);
    expect(decode(f32("ABCD"), [0x42f6, 0xe979])).toBeCloseTo(123.456, 4);
  });
  it("123.456 as CDAB words: low word first", () => {
    expect(encode(f32("CDAB"), 123.456)).toEqual([0xe979, 0x42f6]);
    expect(decode(f32("CDAB"), [0xe979, 0x42f6])).toBeCloseTo(123.456, 4);
  });
  it("reading with the wrong word order gives a wildly different number (the classic integration bug)", () => {
    const wrong = decode(f32("CDAB"), encode(f32("ABCD"), 123.456));
    expect(Math.abs(wrong - 123.456)).toBeGreaterThan(1);
  });
  it("round-trips to exactly the float32 nearest value, negatives and NaN included", () => {
    for (const v of [0, -1.5, 650, 1e-3, -273.15, 3.4e38]) expect(decode(f32("ABCD"), encode(f32("ABCD"), v))).toBe(Math.fround(v));
    expect(encode(f32("ABCD"), -1.5)).toEqual([0xbfc0, 0x0000]);
    expect(decode(f32("CDAB"), encode(f32("CDAB"), NaN))).toBeNaN();
  });
});

describe("scaled 16-bit integers", () => {
  it("int16 negatives are two's complement: −5.0 °C at scale 0.1 is raw −50 = 0xFFCE", () => {
    expect(encode(int16(0.1), -5)).toEqual([0xffce]);
    expect(decode(int16(0.1), [0xffce])).toBeCloseTo(-5, 10);
    expect(decode(int16(1), [0x8000])).toBe(-32768);
    expect(decode(int16(1), [0x7fff])).toBe(32767);
    expect(encode(int16(1), -1)).toEqual([0xffff]);
  });
  it("rounds to the nearest raw step", () => {
    expect(encode(int16(0.1), 123.46)).toEqual([1235]);
    expect(quantize(int16(0.1), 123.44)).toBeCloseTo(123.4, 10);
  });
  it("refuses values the type cannot carry rather than wrapping them", () => {
    expect(() => encode(int16(0.1), 3300)).toThrow("3300 is outside the int16 range at scale 0.1 (-3276.8…3276.7)");
    expect(() => encode(uint16, -1)).toThrow(RangeError);
    expect(() => encode(uint16, 65536)).toThrow(RangeError);
    expect(() => encode(int16(1), NaN)).toThrow(RangeError);
    expect(encode(uint16, 65535)).toEqual([0xffff]);
  });
});

describe("32-bit integers and bits", () => {
  it("uint32 and int32 in both word orders", () => {
    expect(encode({ type: "uint32", scale: 1, wordOrder: "ABCD" }, 123456789)).toEqual([0x075b, 0xcd15]);
    expect(encode({ type: "uint32", scale: 1, wordOrder: "CDAB" }, 123456789)).toEqual([0xcd15, 0x075b]);
    expect(encode({ type: "int32", scale: 1, wordOrder: "ABCD" }, -2)).toEqual([0xffff, 0xfffe]);
    expect(decode({ type: "int32", scale: 0.01, wordOrder: "CDAB" }, [0xfffe, 0xffff])).toBeCloseTo(-0.02, 12);
    expect(decode({ type: "uint32", scale: 1, wordOrder: "CDAB" }, [0xcd15, 0x075b])).toBe(123456789);
  });
  it("bool is one word of 0 or 1", () => {
    expect(encode(bool, 1)).toEqual([1]);
    expect(encode(bool, 0)).toEqual([0]);
    expect(decode(bool, [1])).toBe(1);
  });
  it("too few words is an error, not a silent zero", () => {
    expect(() => decode(f32("ABCD"), [0x42f6])).toThrow(/needs 2 words/);
  });
});

describe("resolution for read-back comparison", () => {
  it("is the scale for integers and the float32 spacing for floats", () => {
    expect(resolution(int16(0.1), 50)).toBe(0.1);
    expect(resolution(bool, 1)).toBe(1);
    expect(resolution(f32("ABCD"), 650)).toBe(2 ** -14); // 650 lies in [512, 1024): exponent 9, spacing 2^(9−23)
    expect(resolution(f32("ABCD"), 1)).toBe(2 ** -23);
  });
  it("accepts what the encoding does to a value and nothing more", () => {
    for (const v of [123.456, 649.99, 0.001]) expect(withinResolution(f32("CDAB"), v, quantize(f32("CDAB"), v))).toBe(true);
    expect(withinResolution(f32("ABCD"), 650, 649.9)).toBe(false);
    expect(withinResolution(int16(0.1), 123.46, quantize(int16(0.1), 123.46))).toBe(true);
    expect(withinResolution(int16(0.1), 123.4, 123.6)).toBe(false);
    expect(withinResolution(f32("ABCD"), 1, NaN)).toBe(false);
  });
});

describe("read-back of bits and integers must be the very value the write encoded", () => {
  // A whole step of tolerance would let every bool pass and controller_mode be off by one.
  it("a bool that reads back the other state is a mismatch", () => {
    expect(withinResolution(bool, 1, 0)).toBe(false);
    expect(withinResolution(bool, 0, 1)).toBe(false);
    expect(withinResolution(bool, 1, 1)).toBe(true);
  });
  it("an unscaled uint16 one step off is a mismatch", () => {
    expect(withinResolution(uint16, 3, 2)).toBe(false);
    expect(withinResolution(uint16, 3, 3)).toBe(true);
  });
  it("a scaled int16 must read back its own raw step: 96.3 at 0.1 is raw 963, 96.4 is not", () => {
    expect(withinResolution(int16(0.1), 96.3, decode(int16(0.1), [963]))).toBe(true);
    expect(withinResolution(int16(0.1), 96.3, decode(int16(0.1), [964]))).toBe(false);
    expect(withinResolution(int16(0.1), 96.3, 96.4)).toBe(false);
    // The written value is compared after the same rounding the write applied: 96.34 goes out as 963.
    expect(withinResolution(int16(0.1), 96.34, decode(int16(0.1), [963]))).toBe(true);
    expect(withinResolution(int16(0.1), 96.36, decode(int16(0.1), [963]))).toBe(false);
  });
});

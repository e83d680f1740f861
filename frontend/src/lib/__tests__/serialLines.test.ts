import { describe, expect, it } from "vitest";
import { defaultAxisNames, detectStream, parseLine, roundFrequency, splitLines, unitsFor } from "../serialLines";

describe("parseLine", () => {
  it("reads values separated by commas, tabs or spaces", () => {
    expect(parseLine("1.5,-2,3")).toEqual({ values: [1.5, -2, 3] });
    expect(parseLine("1\t2  3")).toEqual({ values: [1, 2, 3] });
  });
  it("passes on board errors and ignores noise", () => {
    expect(parseLine("ERR: sensor not found")).toEqual({ error: "ERR: sensor not found" });
    expect(parseLine("hello world")).toBeNull();
    expect(parseLine("   ")).toBeNull();
  });
});

describe("splitLines", () => {
  it("keeps the unfinished tail for the next chunk", () => {
    expect(splitLines("1,2\r\n3,4\n5,")).toEqual({ lines: ["1,2", "3,4"], rest: "5," });
  });
});

describe("detectStream", () => {
  it("drops the first and last line and counts lines per second", () => {
    const lines = ["3,", ...Array.from({ length: 50 }, (_, i) => `${i},1,2`), "7"];
    expect(detectStream(lines, 1)).toEqual({ frequency: 51, axes: 3 });
  });
  it("takes a rate within 2 % of an audio rate as that rate", () => {
    const lines = Array.from({ length: 16_202 }, (_, i) => `${(i % 65536) - 32768}`);
    expect(detectStream(lines, 1.01)).toEqual({ frequency: 16000, axes: 1 });
    expect(roundFrequency(7900)).toBe(8000);
    expect(roundFrequency(15500)).toBe(15500);
    expect(roundFrequency(62.34)).toBe(62.3);
  });
  it("explains when no numeric line arrives", () => {
    expect(() => detectStream(["booting", "ready", "x"], 1)).toThrow(/No numeric lines/);
  });
});

describe("axis names", () => {
  it("suggests accelerometer names for 3 axes and gives their units", () => {
    expect(defaultAxisNames(3)).toEqual(["accX", "accY", "accZ"]);
    expect(defaultAxisNames(2)).toEqual(["value1", "value2"]);
    expect(unitsFor("accX")).toBe("m/s2");
  });
});

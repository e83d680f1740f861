import { describe, expect, it } from "vitest";
import { allZero, resampleToGrid, toInt16 } from "../resample";

describe("resampleToGrid", () => {
  it("interpolates irregular readings onto exact intervals", () => {
    const out = resampleToGrid([0, 10, 30], [[0], [10], [30]], 5, 7);
    expect(out.map((r) => r[0])).toEqual([0, 5, 10, 15, 20, 25, 30]);
  });

  it("holds the last reading past the end and returns exactly `count` rows", () => {
    const out = resampleToGrid(
      [0, 16],
      [
        [1, 2],
        [3, 4],
      ],
      16,
      4,
    );
    expect(out).toEqual([
      [1, 2],
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
  });

  it("returns nothing without readings", () => {
    expect(resampleToGrid([], [], 16, 10)).toEqual([]);
  });
});

describe("allZero", () => {
  it("spots Android's blocked motion sensors (all readings exactly zero)", () => {
    expect(
      allZero([
        [0, 0, 0],
        [0, 0, 0],
      ]),
    ).toBe(true);
    expect(
      allZero([
        [0, 0, 0],
        [0, 0.01, 0],
      ]),
    ).toBe(false);
    expect(allZero([])).toBe(false);
  });
});

describe("toInt16", () => {
  it("maps [-1, 1] to the int16 range and clips beyond it", () => {
    expect(toInt16(new Float32Array([-1, 0, 1, 2, -3]))).toEqual([-32768, 0, 32767, 32767, -32768]);
  });
});

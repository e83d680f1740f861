import { describe, expect, it } from "vitest";
import { envelope } from "../Data/AudioWaveform";
import { colour } from "../Data/AudioSpectrogram";

describe("waveform envelope", () => {
  it("keeps each pixel column's lowest and highest value", () => {
    // 1000 ms drawn 4 pixels wide: columns of 250 ms.
    const times = [0, 100, 200, 300, 600, 900, 950];
    const values = [1, -5, 2, 7, 0, -3, 4];
    const { lo, hi } = envelope(times, values, 1000, 4);
    expect(Array.from(lo)).toEqual([-5, 7, 0, -3]);
    expect(Array.from(hi)).toEqual([2, 7, 0, 4]);
  });

  it("fills columns no point falls in from the left, so a short sample drawn wide has no gaps", () => {
    const { lo, hi } = envelope([0, 10], [-1, 1], 20, 8);
    expect(Array.from(lo).every((v) => Number.isFinite(v))).toBe(true);
    expect(hi[7]).toBe(1);
  });
});

describe("spectrogram colours", () => {
  it("run from black for quiet to pale yellow for loud, clamped outside the range", () => {
    expect(colour(-1)).toEqual([0, 0, 4]);
    expect(colour(0)).toEqual([0, 0, 4]);
    expect(colour(1)).toEqual([252, 253, 191]);
    expect(colour(2)).toEqual([252, 253, 191]);
    const mid = colour(0.5);
    expect(mid[0]).toBeGreaterThan(100);
  });
});

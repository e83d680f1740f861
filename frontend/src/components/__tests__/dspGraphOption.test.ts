import { describe, expect, it } from "vitest";
import { dspGraphOption } from "../Impulse/dspGraphOption";

describe("dspGraphOption", () => {
  it("draws an image graph (spectrogram, cepstrogram) as a heat map with time along x", () => {
    const option = dspGraphOption({
      name: "Spectrogram",
      type: "image",
      x: [10, 30, 50],
      x_label: "Time (ms)",
      y_label: "Frequency (Hz)",
      y: [0, 125.5],
      z: [
        [0, 0.5, 1],
        [0.25, 0.75, 2],
      ],
      series: {},
    });
    const series = option.series as { type: string; data: number[][] }[];
    expect(series[0].type).toBe("heatmap");
    expect(series[0].data).toContainEqual([2, 1, 2]);
    expect(series[0].data).toHaveLength(6);
    expect((option.xAxis as { data: string[] }).data).toEqual(["10", "30", "50"]);
    expect((option.yAxis as { data: string[] }).data).toEqual(["0", "125.5"]);
    expect(option.visualMap).toMatchObject({ min: 0, max: 2 });
  });

  it("keeps line graphs as one line per series", () => {
    const option = dspGraphOption({
      name: "After filter",
      x: [0, 16],
      x_label: "Time (ms)",
      y_label: "Value",
      series: { accX: [1, 2], accY: [3, 4] },
    });
    const series = option.series as { type: string; data: number[][] }[];
    expect(series.map((s) => s.type)).toEqual(["line", "line"]);
    expect(series[1].data).toEqual([
      [0, 3],
      [16, 4],
    ]);
  });
});

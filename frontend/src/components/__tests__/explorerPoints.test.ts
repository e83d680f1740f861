import { describe, expect, it } from "vitest";
import { coordinates, labelOrder, legend, mapPoints, UNLABELED_COLOR } from "../Explorer/explorerPoints";

const result = {
  labels: ["idle", "wave"],
  categories: ["training", "testing", "anomaly"],
  sample_ids: [1, 1, 2, 3],
  window_start_ms: [0, 500, 0, 0],
  label_index: [0, 0, 1, -1],
  category_index: [0, 0, 1, 0],
  points2d: [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
  ],
  embedding2d: null,
};

describe("explorer points", () => {
  it("uses t-SNE coordinates when the job made them, else PCA", () => {
    expect(coordinates(result)).toBe(result.points2d);
    const tsne = [[9, 9]];
    expect(coordinates({ ...result, embedding2d: tsne })).toBe(tsne);
  });

  it("applies relabels, moves and disables made since the job ran", () => {
    const points = mapPoints(result, { 3: { label: "shake" }, 2: { category: "training" }, 1: { disabled: true } });
    expect(points.map((p) => [p.sampleId, p.label, p.category])).toEqual([
      [2, "wave", "training"],
      [3, "shake", "training"],
    ]);
    expect(labelOrder(result, points)).toEqual(["idle", "wave", "shake"]);
  });

  it("counts windows and samples per label with unlabeled last and grey", () => {
    const points = mapPoints(result, {});
    const entries = legend(points, labelOrder(result, points));
    expect(entries.map((e) => [e.name, e.windows, e.samples])).toEqual([
      ["idle", 2, 1],
      ["wave", 1, 1],
      ["Unlabeled", 1, 1],
    ]);
    expect(entries[2].color).toBe(UNLABELED_COLOR);
    expect(new Set(entries.map((e) => e.color)).size).toBe(3);
  });
});

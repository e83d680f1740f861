import { describe, expect, it } from "vitest";
import golden from "../../../../tests/golden/testing/summary_cases.json";
import { majority, sampleRows, summarize, windowDecision, type PerWindow } from "../testMetrics";

describe("windowDecision", () => {
  it("takes the first highest score when it reaches the threshold, else uncertain", () => {
    expect(windowDecision([0.2, 0.6, 0.2], ["a", "b", "c"], 0.6)).toBe("b");
    expect(windowDecision([0.5, 0.5, 0], ["a", "b", "c"], 0)).toBe("a");
    expect(windowDecision([0.3, 0.4, 0.3], ["a", "b", "c"], 0.6)).toBe("uncertain");
  });

  it("says anomaly only above a set anomaly threshold", () => {
    expect(windowDecision([0.1, 0.9], ["a", "b"], 0.6, 0.5, 0.3)).toBe("anomaly");
    expect(windowDecision([0.1, 0.9], ["a", "b"], 0.6, 0.3, 0.3)).toBe("b");
    expect(windowDecision([0.1, 0.9], ["a", "b"], 0.6, 0.9, null)).toBe("b");
  });
});

describe("summarize", () => {
  it("gives the server's summary for every golden case (variants, thresholds, anomaly thresholds)", () => {
    const pw = golden.per_window as PerWindow;
    expect(golden.cases.length).toBeGreaterThan(10);
    for (const c of golden.cases) {
      const got = summarize(pw, c.variant, golden.labels, {
        threshold: c.threshold,
        anomalyThreshold: c.anomaly_threshold,
      });
      expect(got).toEqual(c.summary);
    }
  });

  it("counts uncertain windows as wrong and leaves out labels the model does not know", () => {
    const pw: PerWindow = {
      sample_id: [1, 1, 2, 2, 3],
      start_ms: [0, 500, 0, 500, 0],
      label: ["a", "a", "b", "b", "other"],
      scores: {
        int8: [
          [0.9, 0.1],
          [0.55, 0.45],
          [0.2, 0.8],
          [0.1, 0.9],
          [0.9, 0.1],
        ],
      },
    };
    const s = summarize(pw, "int8", ["a", "b"], { threshold: 0.6, anomalyThreshold: null });
    expect(s.windows).toBe(4);
    expect(s.accuracy).toBe(0.75);
    expect(s.confusion_matrix.matrix).toEqual([
      [1, 0, 1],
      [0, 2, 0],
    ]);
    expect(s.per_class.a).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    const lower = summarize(pw, "int8", ["a", "b"], { threshold: 0.5, anomalyThreshold: null });
    expect(lower.accuracy).toBe(1);
  });
});

describe("sampleRows", () => {
  it("predicts each sample by the majority of its windows, uncertain on a tie", () => {
    expect(majority(["a", "a", "b"])).toBe("a");
    expect(majority(["a", "b"])).toBe("uncertain");
    const pw: PerWindow = {
      sample_id: [7, 7, 7, 9, 9],
      start_ms: [0, 500, 1000, 0, 500],
      label: ["a", "a", "a", "b", "b"],
      scores: {
        int8: [
          [0.9, 0.1],
          [0.2, 0.8],
          [0.7, 0.3],
          [0.9, 0.1],
          [0.1, 0.9],
        ],
      },
    };
    const rows = sampleRows(pw, "int8", ["a", "b"], { threshold: 0.6, anomalyThreshold: null });
    expect(rows.map((r) => [r.sampleId, r.prediction, r.correct, r.windows])).toEqual([
      [7, "a", 2, 3],
      [9, "uncertain", 1, 2],
    ]);
    expect(rows[0].windowIndexes).toEqual([0, 1, 2]);
  });
});

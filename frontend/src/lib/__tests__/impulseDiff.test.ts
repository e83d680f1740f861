import { describe, expect, it } from "vitest";
import type { ImpulseConfig } from "../../client/domain";
import { compare, rebase } from "../impulseDiff";

const base: ImpulseConfig = {
  input: { axes: ["x", "y"], window_size_ms: 2000, window_increase_ms: 500, frequency_hz: 50 },
  processing: [{ id: "f", type: "flatten", params: { average: true, scale: 1 }, axes: ["x", "y"] }],
  learning: [{ id: "c", type: "keras-classifier", params: { epochs: 30 } }],
};
const edit = (f: (c: ImpulseConfig) => void) => {
  const c = structuredClone(base);
  f(c);
  return c;
};

describe("impulse diff", () => {
  it("re-applies only the fields you changed on top of theirs", () => {
    const theirs = edit((c) => {
      c.input.window_size_ms = 1500;
      c.processing[0].params.scale = 2;
    });
    const yours = edit((c) => {
      c.input.window_increase_ms = 400;
      delete c.processing[0].params.average;
    });
    const merged = rebase(base, yours, theirs);
    expect(merged.input).toMatchObject({ window_size_ms: 1500, window_increase_ms: 400 });
    expect(merged.processing[0].params).toEqual({ scale: 2 });
  });

  it("lists each differing field with who changed it, ignoring derived values", () => {
    const theirs = edit((c) => {
      c.input.window_size_ms = 1500;
      (c.processing[0] as Record<string, unknown>).features = 8;
    });
    const yours = edit((c) => {
      c.input.axes = ["x"];
    });
    const rows = compare(base, yours, theirs);
    expect(rows.map((r) => [r.field, r.byThem, r.byYou])).toEqual([
      ["Axes", false, true],
      ["Window size (ms)", true, false],
    ]);
  });
});

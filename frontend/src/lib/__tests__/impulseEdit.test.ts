import { describe, expect, it } from "vitest";
import type { BlockSpec, ImpulseConfig } from "../../client/domain";
import {
  addLearning,
  addProcessing,
  freeId,
  removeLearning,
  removeProcessing,
  replaceLearning,
  replaceProcessing,
} from "../impulseEdit";

const spec = (id: string, params: BlockSpec["params"] = [], proposals?: BlockSpec["proposals"]): BlockSpec => ({
  id,
  version: 1,
  name: id,
  kind: "x",
  description: "",
  params,
  proposals,
});
const flatten = spec("flatten", [{ name: "rms", type: "bool", default: true, label: "RMS" }]);
const mfcc = spec("mfcc", [{ name: "num_cepstral", type: "int", default: 13, label: "Coefficients" }]);
const classifier = spec("keras-classifier", [{ name: "epochs", type: "int", default: 100, label: "Cycles" }], {
  mfcc: { architecture: "conv1d" },
});
const kmeans = spec("kmeans-anomaly", [{ name: "clusters", type: "int", default: 32, label: "Clusters" }]);

const base: ImpulseConfig = {
  input: { axes: ["x"], window_size_ms: 1000, window_increase_ms: 500, frequency_hz: 100 },
  processing: [{ id: "spectral-analysis", type: "spectral-analysis", params: {} }],
  learning: [{ id: "classifier", type: "keras-classifier", params: { epochs: 5 } }],
};

describe("impulse block editing", () => {
  it("gives a new block the first free id after its type", () => {
    expect(freeId(base, "flatten")).toBe("flatten");
    expect(freeId(base, "spectral-analysis")).toBe("spectral-analysis-2");
  });

  it("adds a processing block with its defaults and feeds it to every learning block", () => {
    const cfg = addProcessing(base, flatten);
    expect(cfg.processing[1]).toEqual({ id: "flatten", type: "flatten", params: { rms: true } });
    expect(cfg.learning[0].inputs).toEqual(["spectral-analysis", "flatten"]);
  });

  it("removes a processing block from the learning blocks' inputs, never leaving them without one", () => {
    const two = addProcessing(base, flatten);
    const onlyFlatten = { ...two, learning: [{ ...two.learning[0], inputs: ["flatten"] }] };
    expect(removeProcessing(two, "flatten").learning[0].inputs).toEqual(["spectral-analysis"]);
    expect(removeProcessing(onlyFlatten, "flatten").learning[0].inputs).toEqual(["spectral-analysis"]);
  });

  it("renames a block named after its type, follows it in the inputs, and applies the network's proposal", () => {
    const cfg = replaceProcessing(base, 0, mfcc, [classifier]);
    expect(cfg.processing[0]).toEqual({ id: "mfcc", type: "mfcc", params: { num_cepstral: 13 } });
    expect(cfg.learning[0].inputs).toEqual(["mfcc"]);
    expect(cfg.learning[0].params).toEqual({ epochs: 5, architecture: "conv1d" });
    const named = { ...base, processing: [{ ...base.processing[0], id: "motion" }] };
    expect(replaceProcessing(named, 0, flatten, [classifier]).processing[0].id).toBe("motion");
  });

  it("adds, changes and removes learning blocks", () => {
    const cfg = addLearning(base, kmeans);
    expect(cfg.learning[1]).toEqual({
      id: "kmeans-anomaly",
      type: "kmeans-anomaly",
      params: { clusters: 32 },
      inputs: ["spectral-analysis"],
    });
    const changed = replaceLearning(cfg, 1, classifier);
    expect(changed.learning[1]).toMatchObject({ id: "keras-classifier", type: "keras-classifier" });
    expect(removeLearning(cfg, "kmeans-anomaly").learning).toEqual(base.learning);
  });
});

import { describe, expect, it } from "vitest";
import {
  insertAt,
  layerError,
  move,
  newLayer,
  parseArchitecture,
  type LayerCatalogue,
} from "../Training/networkLayers";

const CATALOGUE: LayerCatalogue = {
  max_layers: 16,
  activations: ["relu", "relu6", "none"],
  optional: ["activation", "stride"],
  layers: [
    {
      type: "conv1d",
      label: "1-D convolution",
      help: "",
      fields: [
        { name: "filters", kind: "int", default: null, min: 1, max: 256, label: "Filters", help: "" },
        { name: "kernel_size", kind: "int", default: 3, min: 1, max: 64, label: "Kernel size", help: "" },
        { name: "stride", kind: "int", default: 1, min: 1, max: 16, label: "Stride", help: "" },
        { name: "pool", kind: "int", default: 2, min: 1, max: 16, label: "Pool", help: "" },
      ],
    },
    { type: "flatten", label: "Flatten", help: "", fields: [] },
  ],
};

describe("network layers", () => {
  it("starts a conv layer with filters and without its built-in pooling or optional settings", () => {
    expect(newLayer(CATALOGUE, "conv1d")).toEqual({ type: "conv1d", filters: 8, kernel_size: 3, pool: 1 });
  });

  it("puts new conv and pooling layers before the flatten or first dense layer, dense ones at the end", () => {
    const layers = [{ type: "conv1d" }, { type: "flatten" }, { type: "dense" }];
    expect(insertAt(layers, "max_pool")).toBe(1);
    expect(insertAt(layers, "dense")).toBe(3);
    expect(insertAt([{ type: "dense" }], "conv1d")).toBe(0);
    expect(insertAt([{ type: "conv1d" }, { type: "dense" }], "flatten")).toBe(1);
  });

  it("moves a layer and ignores moves past either end", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });

  it("reads the layer and field a server message names", () => {
    expect(layerError("architecture[2].kernel_size: the kernel (5) is larger")).toEqual({
      index: 2,
      field: "kernel_size",
      message: "the kernel (5) is larger",
    });
    expect(layerError("architecture: must be a list of layers").index).toBeNull();
    expect(layerError("input.axes: unknown").message).toBe("input.axes: unknown");
  });

  it("explains JSON that is not a list of layers", () => {
    expect(parseArchitecture('[{"type": "flatten"}]')).toEqual({ layers: [{ type: "flatten" }] });
    expect(parseArchitecture("[{")).toHaveProperty("error");
    expect(parseArchitecture('{"type": "dense"}')).toEqual({
      error: "The network must be a JSON list of layers: [ {...}, {...} ]",
    });
    expect("error" in parseArchitecture("[3]")).toBe(true);
  });
});

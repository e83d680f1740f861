// The network editor's model: layers as the learning block's `architecture` stores them, the layer
// catalogue the server declares (GET /api/blocks, the architecture parameter's `schema`), and the
// server's error messages mapped back to the layer they name.

export type Layer = { type: string } & Record<string, unknown>;
export type LayerField = {
  name: string;
  kind: "int" | "float" | "activation";
  default: number | string | null;
  min: number;
  max: number;
  label: string;
  help: string;
};
export type LayerType = { type: string; label: string; help: string; fields: LayerField[] };
export type LayerCatalogue = { max_layers: number; activations: string[]; optional: string[]; layers: LayerType[] };

/** Starting values of a new layer: conv layers without their built-in pooling (add a pooling layer instead). */
const START: Record<string, Record<string, unknown>> = {
  conv1d: { filters: 8, pool: 1 },
  conv2d: { filters: 8, pool: 1 },
  dense: { units: 16 },
};

export function newLayer(catalogue: LayerCatalogue, type: string): Layer {
  const spec = catalogue.layers.find((l) => l.type === type);
  const layer: Layer = { type };
  for (const f of spec?.fields ?? []) {
    if (f.default !== null && !catalogue.optional.includes(f.name)) layer[f.name] = f.default;
  }
  return { ...layer, ...(START[type] ?? {}) };
}

/** Where a new layer of `type` fits best: conv and pooling after the conv layers (before the
 * flatten, or the first dense layer), flatten before the first dense layer, reshape first. */
export function insertAt(layers: Layer[], type: string): number {
  const end = (i: number) => (i >= 0 ? i : layers.length);
  const firstDense = end(layers.findIndex((l) => l.type === "dense"));
  if (["conv1d", "conv2d", "max_pool", "avg_pool"].includes(type)) {
    const flatten = layers.findIndex((l) => l.type === "flatten");
    return flatten >= 0 ? flatten : firstDense;
  }
  if (type === "flatten") return firstDense;
  if (type === "reshape") return 0;
  return layers.length;
}

export function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

export type LayerError = { index: number | null; field: string | null; message: string };

/** "architecture[2].kernel_size: the kernel (5) ..." -> layer 2, field kernel_size, the message. */
export function layerError(detail: string): LayerError {
  const m = /^architecture(?:\[(\d+)\])?(?:\.(\w+))?: (.*)$/s.exec(detail);
  if (!m) return { index: null, field: null, message: detail };
  return { index: m[1] === undefined ? null : Number(m[1]), field: m[2] ?? null, message: m[3] };
}

/** The expert mode's text: a JSON list of layer objects, or the reason it is not one. */
export function parseArchitecture(text: string): { layers: Layer[] } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { error: "The network must be a JSON list of layers: [ {...}, {...} ]" };
  for (const [i, layer] of value.entries()) {
    if (typeof layer !== "object" || layer === null || Array.isArray(layer) || typeof layer.type !== "string")
      return { error: `Layer ${i + 1} must be an object with a "type", like {"type": "dense", "units": 16}` };
  }
  return { layers: value as Layer[] };
}

export function shapeText(shape: number[] | undefined): string {
  return shape && shape.length ? shape.join(" × ") : "—";
}

export function bytesText(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} kB` : `${n} B`;
}

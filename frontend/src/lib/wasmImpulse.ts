// Runs a TinyForge WebAssembly build (the deployment target "wasm") in the browser. The module is
// the board library's C, unchanged; this mirrors tinyforge_wasm.js, the wrapper shipped in the zip
// (workers/codegen/library/templates): it only moves numbers in and out of the module.

export type ImpulseInfo = {
  library: string;
  build: number;
  labels: string[];
  axes: string[];
  sensor: "accelerometer" | "microphone" | "other";
  frequency_hz: number;
  interval_ms: number;
  window_samples: number;
  window_ms: number;
  input_length: number;
  slice_length: number;
  slices_per_window: number;
  feature_count: number;
  has_classifier: boolean;
  has_anomaly: boolean;
};

export type ImpulseResult = {
  scores: Record<string, number>;
  raw: Float32Array;
  anomaly: number;
  timing: { dsp_us: number; classification_us: number; anomaly_us: number };
};

type Exports = {
  memory: WebAssembly.Memory;
  tf_wasm_abi_version(): number;
  tf_wasm_info(): number;
  tf_wasm_info_length(): number;
  tf_wasm_input(): number;
  tf_wasm_input_length(): number;
  tf_wasm_label_count(): number;
  tf_wasm_scores(): number;
  tf_wasm_anomaly(): number;
  tf_wasm_timing(): number;
  tf_wasm_classify(): number;
};

const ERRORS: Record<string, string> = {
  "-1": "a NULL pointer (argument error)",
  "-2": "the signal has the wrong length",
  "-3": "the signal could not be read",
  "-4": "the DSP failed",
  "-5": "the network failed",
};

export type WasmImpulse = { info: ImpulseInfo; classify(window: Float32Array): ImpulseResult };

/** Instantiates the module's bytes; throws when they are not a TinyForge impulse. */
export async function loadImpulse(bytes: ArrayBuffer): Promise<WasmImpulse> {
  const { instance } = await WebAssembly.instantiate(bytes, {
    tinyforge: { micros: () => Math.floor(performance.now() * 1000) >>> 0 },
    wasi_snapshot_preview1: {},
  });
  const x = instance.exports as unknown as Exports;
  if (typeof x.tf_wasm_abi_version !== "function" || x.tf_wasm_abi_version() !== 1)
    throw new Error("This file is not a TinyForge WebAssembly build this page knows.");
  const mem = () => x.memory.buffer;
  const info = JSON.parse(
    new TextDecoder().decode(new Uint8Array(mem(), x.tf_wasm_info(), x.tf_wasm_info_length())),
  ) as ImpulseInfo;
  const inputLength = x.tf_wasm_input_length();
  const labelCount = x.tf_wasm_label_count();
  return {
    info,
    classify(window: Float32Array): ImpulseResult {
      if (window.length !== inputLength)
        throw new RangeError(`a window needs ${inputLength} values, got ${window.length}`);
      new Float32Array(mem(), x.tf_wasm_input(), inputLength).set(window);
      const err = x.tf_wasm_classify();
      if (err !== 0) throw new Error(`the impulse returned ${err}: ${ERRORS[String(err)] ?? "unknown error"}`);
      const raw = Float32Array.from(new Float32Array(mem(), x.tf_wasm_scores(), labelCount));
      const timing = new Uint32Array(mem(), x.tf_wasm_timing(), 3);
      const scores: Record<string, number> = {};
      info.labels.forEach((label, i) => (scores[label] = raw[i]));
      return {
        scores,
        raw,
        anomaly: x.tf_wasm_anomaly(),
        timing: { dsp_us: timing[0], classification_us: timing[1], anomaly_us: timing[2] },
      };
    },
  };
}

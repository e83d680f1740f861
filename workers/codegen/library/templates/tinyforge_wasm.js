// tinyforge_wasm.js - loads a TinyForge impulse compiled to WebAssembly and runs it.
// The .wasm is the library's C code, unchanged; this file only moves numbers in and out.
//
//   import { load } from "./tinyforge_wasm.js";
//   const impulse = await load("impulse.wasm");           // a URL, or the module's bytes
//   impulse.info;  // { labels, axes, frequency_hz, window_samples, input_length, slice_length, ... }
//   const r = impulse.classify(window);  // Float32Array of info.input_length values, interleaved axes
//   r.scores;      // { label: probability }, r.anomaly, r.timing { dsp_us, classification_us, anomaly_us }
//   impulse.continuousInit(); impulse.classifySlice(slice, smoothing)  // slices of info.slice_length
// Works in browsers and in Node 20 (ES module). No other file is needed.

const ERRORS = {
  "-1": "a NULL pointer (argument error)",
  "-2": "the signal has the wrong length",
  "-3": "the signal could not be read",
  "-4": "the DSP failed",
  "-5": "the network failed",
};

async function moduleBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`cannot download ${source}: HTTP ${response.status}`);
  return await response.arrayBuffer();
}

function now() {
  return Math.floor(performance.now() * 1000) >>> 0;
}

/** Instantiates the impulse; `source` is a URL (string or URL) or the .wasm bytes. */
export async function load(source) {
  const bytes = await moduleBytes(source);
  const { instance } = await WebAssembly.instantiate(bytes, {
    tinyforge: { micros: now },
    wasi_snapshot_preview1: {},
  });
  const x = instance.exports;
  if (x.tf_wasm_abi_version() !== 1) throw new Error("this wrapper does not know this module's version");
  const memory = () => x.memory.buffer;
  const info = JSON.parse(
    new TextDecoder().decode(new Uint8Array(memory(), x.tf_wasm_info(), x.tf_wasm_info_length())),
  );
  const inputLength = x.tf_wasm_input_length();
  const sliceLength = x.tf_wasm_slice_length();
  const labelCount = x.tf_wasm_label_count();
  const featureCount = x.tf_wasm_feature_count();

  function put(values, length, what) {
    if (!values || values.length !== length) {
      throw new RangeError(`${what} needs ${length} values, got ${values ? values.length : "none"}`);
    }
    new Float32Array(memory(), x.tf_wasm_input(), length).set(values);
  }

  function result(err) {
    if (err !== 0) throw new Error(`the impulse returned ${err}: ${ERRORS[err] ?? "unknown error"}`);
    const raw = Float32Array.from(new Float32Array(memory(), x.tf_wasm_scores(), labelCount));
    const timing = new Uint32Array(memory(), x.tf_wasm_timing(), 3);
    const scores = {};
    info.labels.forEach((label, i) => (scores[label] = raw[i]));
    return {
      scores,
      raw,
      anomaly: x.tf_wasm_anomaly(),
      timing: { dsp_us: timing[0], classification_us: timing[1], anomaly_us: timing[2] },
    };
  }

  return {
    info,
    /** Runs the whole impulse on one window (info.input_length values). */
    classify(window) {
      put(window, inputLength, "a window");
      return result(x.tf_wasm_classify());
    },
    /** Restarts continuous classification (the window starts as zeros). */
    continuousInit() {
      x.tf_wasm_continuous_init();
    },
    /** Appends one slice (info.slice_length values) and classifies the window kept by the library. */
    classifySlice(slice, smoothing = true) {
      put(slice, sliceLength, "a slice");
      return result(x.tf_wasm_classify_slice(smoothing ? 1 : 0));
    },
    /** The features of the last call (info.feature_count floats, a copy). */
    features() {
      return Float32Array.from(new Float32Array(memory(), x.tf_wasm_features(), featureCount));
    },
  };
}

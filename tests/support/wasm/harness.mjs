// The wasm counterpart of tests/support/library_harness.c: runs an impulse module through its JS
// wrapper on windows (or continuous slices) and prints the same lines, float bits in hex, so the
// two outputs compare as text. Shared by the Node runner (run_node.mjs) and the Chromium page.

const hex = (v) => new Uint32Array(Float32Array.of(v).buffer)[0].toString(16).padStart(8, "0");
const line = (tag, values) => ` ${tag}` + Array.from(values, (v) => ` ${hex(v)}`).join("");

/** `impulse`: what load() returned; `data`: Float32Array of `count` windows (or slices). */
export function runHarness(impulse, data, count, continuous) {
  const out = [];
  if (!continuous) {
    const n = impulse.info.input_length;
    for (let w = 0; w < count; ++w) {
      const r = impulse.classify(data.subarray(w * n, (w + 1) * n));
      out.push(`${w}${line("F", impulse.features())}${line("S", r.raw)} A ${hex(r.anomaly)}`);
    }
    return out.join("\n") + "\n";
  }
  const n = impulse.info.slice_length;
  const silence = new Float32Array(impulse.info.input_length);
  for (const smoothing of [false, true]) {
    impulse.continuousInit();
    for (let s = 0; s < count; ++s) {
      const r = impulse.classifySlice(data.subarray(s * n, (s + 1) * n), smoothing);
      if (smoothing) {
        out.push(`${s}${line("M", r.raw)}`);
        continue;
      }
      out.push(`${s}${line("F", impulse.features())}${line("S", r.raw)} A ${hex(r.anomaly)}`);
      if (s % 10 === 9) impulse.classify(silence); // the stream must not notice
    }
  }
  return out.join("\n") + "\n";
}

// node time_node.mjs <wrapper.js> <module.wasm> <windows.bin> <count> <rounds>: prints the mean
// microseconds of one classify() call over all windows, repeated `rounds` times (the first round,
// compilation warm-up, is not counted).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [wrapper, wasm, windows, count, rounds] = process.argv.slice(2);
const { load } = await import(pathToFileURL(wrapper).href);
const impulse = await load(readFileSync(wasm));
const bytes = readFileSync(windows);
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const n = impulse.info.input_length;
const once = () => {
  for (let w = 0; w < Number(count); ++w) impulse.classify(data.subarray(w * n, (w + 1) * n));
};
once();
const start = performance.now();
for (let r = 0; r < Number(rounds); ++r) once();
console.log(((performance.now() - start) * 1000) / (Number(rounds) * Number(count)));

// node run_node.mjs <wrapper.js> <module.wasm> <windows.bin> <count> [continuous]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { runHarness } from "./harness.mjs";

const [wrapper, wasm, windows, count, mode] = process.argv.slice(2);
const { load } = await import(pathToFileURL(wrapper).href);
const impulse = await load(readFileSync(wasm));
const bytes = readFileSync(windows);
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
process.stdout.write(runHarness(impulse, data, Number(count), mode === "continuous"));

// The phone's copy of its project's WebAssembly build: fetched with the device key, built on
// demand, and kept in Cache Storage so the phone classifies offline once it has loaded it.
import { api, call, type Schemas } from "../client/api";

export type PhoneBuild = Schemas["PhoneBuildPublic"];
const CACHE = "tinyforge-phone-wasm";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where this key's last build is remembered (the key itself is not stored: a hash of it). */
async function latestKey(apiKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey)));
  const hex = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${location.origin}/phone-wasm/${hex}/latest.json`;
}

const canCache = () => typeof caches !== "undefined" && typeof crypto?.subtle !== "undefined";

async function remember(apiKey: string, build: PhoneBuild, module: ArrayBuffer) {
  if (!canCache()) return;
  const cache = await caches.open(CACHE);
  await cache.put(new URL(build.module_url!, location.origin).href, new Response(module.slice(0)));
  await cache.put(await latestKey(apiKey), new Response(JSON.stringify(build)));
}

async function remembered(apiKey: string): Promise<{ build: PhoneBuild; module: ArrayBuffer } | null> {
  if (!canCache()) return null;
  const cache = await caches.open(CACHE);
  const meta = await cache.match(await latestKey(apiKey));
  if (!meta) return null;
  const build = (await meta.json()) as PhoneBuild;
  const module = build.module_url ? await cache.match(new URL(build.module_url, location.origin).href) : undefined;
  return module ? { build, module: await module.arrayBuffer() } : null;
}

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export type Loaded = { build: PhoneBuild; module: ArrayBuffer; fromCache: boolean; cached: boolean };
type Step = (stage: string, fraction: number) => void;

/** The project's newest WebAssembly build (started and waited for when there is none), from the
 * server, or from this phone's cache when the server cannot be reached. */
export async function loadPhoneBuild(apiKey: string, step: Step): Promise<Loaded> {
  const headers = { "x-api-key": apiKey };
  let build: PhoneBuild;
  try {
    step("Looking for the project's WebAssembly build", 0);
    build = await call(api.POST("/api/device-key/wasm", { headers }));
  } catch (err) {
    const kept = await remembered(apiKey);
    if (kept && err instanceof TypeError) return { ...kept, fromCache: true, cached: true }; // offline
    throw err;
  }
  while (build.status === "queued" || build.status === "running") {
    step(`Building the WebAssembly build ${build.build_number}`, build.progress);
    await sleep(1000);
    build = await call(api.GET("/api/device-key/wasm", { headers }));
  }
  if (build.status !== "succeeded" || !build.module_url)
    throw new Error(`Build ${build.build_number} ${build.status}: ${build.error ?? "start it again"}`);
  step("Downloading the module", 1);
  const module = (await call(
    api.GET("/api/device-key/wasm/{deployment_id}/module.wasm", {
      params: { path: { deployment_id: build.deployment_id } },
      headers,
      parseAs: "arrayBuffer",
    }),
  )) as unknown as ArrayBuffer;
  if (canCache() && (await sha256(module)) !== build.module_sha256)
    throw new Error("The downloaded module does not match its build's checksum; try again.");
  await remember(apiKey, build, module);
  return { build, module, fromCache: false, cached: canCache() };
}

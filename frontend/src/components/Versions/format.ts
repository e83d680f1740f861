// How versions' figures read: accuracies as percentages, sizes in KB, "–" when unknown.
import type { Schemas } from "../../client/api";

export type VersionSummary = Schemas["VersionSummary"];
export type Headline = Schemas["ImpulseHeadline"];
export type VersionDiff = Schemas["VersionDiff"];

export const pct = (v?: number | null) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);
export const kb = (v?: number | null) => (v === null || v === undefined ? "–" : `${(v / 1024).toFixed(1)} KB`);
export const ms = (v?: number | null) => (v === null || v === undefined ? "–" : `${v.toFixed(v < 10 ? 2 : 0)} ms`);

/** A figure by its diff path: accuracies are fractions, bytes are sizes, the rest as they are. */
export function figure(path: string, v?: number | null): string {
  if (v === null || v === undefined) return "–";
  if (path.endsWith("accuracy")) return pct(v);
  if (path.endsWith("_bytes")) return kb(v);
  if (path.endsWith("_ms")) return ms(v);
  return String(Math.round(v * 1000) / 1000);
}

/** Whether a change of this figure is good news (higher accuracy, smaller, faster). */
export function better(path: string, before?: number | null, after?: number | null): boolean | null {
  if (before === null || before === undefined || after === null || after === undefined || before === after) return null;
  return path.endsWith("accuracy") ? after > before : after < before;
}

export function json(v: unknown): string {
  if (v === undefined || v === null) return "–";
  return typeof v === "string" ? v : JSON.stringify(v);
}

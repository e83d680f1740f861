// Field-by-field comparison of impulse configurations, for showing a teammate's changes against
// yours and for re-applying your own edits on top of their newer version.
import type { BlockCatalogue, ImpulseConfig } from "../client/domain";

type Json = unknown;
type Path = (string | number)[];

// Worked out by the server from the rest; never shown as someone's change nor re-applied.
const DERIVED = new Set(["features", "version"]);
const INPUT_LABELS: Record<string, string> = {
  axes: "Axes",
  window_size_ms: "Window size (ms)",
  window_increase_ms: "Window increase (ms)",
  frequency_hz: "Frequency (Hz)",
  zero_pad: "Zero-pad short samples",
  type: "Input type",
};

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Leaves of a configuration by path; block lists are walked by position, other lists are one value. */
export function leaves(cfg: Json, path: Path = [], out = new Map<string, { path: Path; value: Json }>()) {
  const walkList = path.length === 1 && (path[0] === "processing" || path[0] === "learning");
  if (isObject(cfg)) {
    for (const [k, v] of Object.entries(cfg)) if (!DERIVED.has(k) || path.length < 2) leaves(v, [...path, k], out);
  } else if (Array.isArray(cfg) && walkList) {
    cfg.forEach((v, i) => leaves(v, [...path, i], out));
  } else {
    out.set(JSON.stringify(path), { path, value: cfg });
  }
  return out;
}

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

/** Paths whose value differs between two configurations (present in either). */
export function changedPaths(from: Json, to: Json): Path[] {
  const a = leaves(from),
    b = leaves(to);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !same(a.get(k)?.value, b.get(k)?.value)).map((k) => (a.get(k) ?? b.get(k))!.path);
}

function valueAt(cfg: Json, path: Path): Json {
  let v: Json = cfg;
  for (const k of path) v = (v as Record<string | number, Json> | undefined)?.[k];
  return v;
}

function setAt(cfg: Json, path: Path, value: Json | undefined) {
  let v = cfg as Record<string | number, Json>;
  for (const [i, k] of path.slice(0, -1).entries()) {
    if (v[k] === undefined) v[k] = typeof path[i + 1] === "number" ? [] : {};
    v = v[k] as Record<string | number, Json>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete v[last];
  else v[last] = value;
}

/** Their configuration with every field you changed since `base` set to your value. */
export function rebase(base: ImpulseConfig, yours: ImpulseConfig, theirs: ImpulseConfig): ImpulseConfig {
  const out = structuredClone(theirs);
  for (const path of changedPaths(base, yours)) setAt(out, path, structuredClone(valueAt(yours, path)));
  return out;
}

export type FieldChange = { key: string; field: string; theirs: Json; yours: Json; byThem: boolean; byYou: boolean };

/** Each field where their version and your form differ, and who changed it since you loaded. */
export function compare(
  base: ImpulseConfig,
  yours: ImpulseConfig,
  theirs: ImpulseConfig,
  blocks?: BlockCatalogue,
): FieldChange[] {
  return changedPaths(theirs, yours).map((path) => ({
    key: JSON.stringify(path),
    field: fieldName(path, theirs, yours, blocks),
    theirs: valueAt(theirs, path),
    yours: valueAt(yours, path),
    byThem: !same(valueAt(base, path), valueAt(theirs, path)),
    byYou: !same(valueAt(base, path), valueAt(yours, path)),
  }));
}

/** A path in the words of the form: "Window size (ms)", "Spectral analysis: FFT length". */
export function fieldName(path: Path, theirs: ImpulseConfig, yours: ImpulseConfig, blocks?: BlockCatalogue): string {
  const [top, index, key, param] = path;
  if (top === "input" && typeof index === "string") return INPUT_LABELS[index] ?? index;
  if ((top === "processing" || top === "learning") && typeof index === "number") {
    const block = (theirs[top][index] ?? yours[top][index]) as { type: string } | undefined;
    const specs = blocks?.[top] ?? [];
    const spec = specs.find((s) => s.id === block?.type);
    const where = `${top === "processing" ? "Processing" : "Learning"} block${spec ? ` (${spec.name})` : ""}`;
    if (key === "type") return `${top === "processing" ? "Processing" : "Learning"} block`;
    if (key === "params" && typeof param === "string") {
      return `${where}: ${spec?.params.find((p) => p.name === param)?.label ?? param}`;
    }
    return `${where}: ${path.slice(2).join(".")}`;
  }
  return path.join(".");
}

/** A value as the form would show it. */
export function showValue(v: Json): string {
  if (v === undefined) return "—";
  if (Array.isArray(v)) return v.every((x) => typeof x !== "object") ? v.join(", ") : JSON.stringify(v);
  if (isObject(v)) return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

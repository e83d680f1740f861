// Editing an impulse's block lists: add, remove and change the type of processing and learning
// blocks, keeping the learning blocks' inputs pointing at processing blocks that exist.
import type { BlockSpec, ImpulseConfig } from "../client/domain";

type Processing = ImpulseConfig["processing"][number];
type Learning = ImpulseConfig["learning"][number];

export function defaultsOf(params: { name: string; default: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(params.map((p) => [p.name, p.default]));
}

/** A learning block's defaults with what it proposes for the processing block feeding it. */
export function learningDefaults(spec: BlockSpec, processingId: string): Record<string, unknown> {
  return { ...defaultsOf(spec.params), ...(spec.proposals?.[processingId] ?? {}) };
}

/** The processing blocks a learning block reads (all of them when it does not say). */
export function inputsOf(cfg: ImpulseConfig, block: Learning): string[] {
  return block.inputs ?? cfg.processing.map((p) => p.id);
}

/** `base`, or `base-2`, `base-3` ... : the first id no block of the impulse has. */
export function freeId(cfg: ImpulseConfig, base: string): string {
  const taken = new Set([...cfg.processing, ...cfg.learning].map((b) => b.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

// A block still named after its type is renamed with it; a name someone chose is kept.
const namedAfterType = (b: { id: string; type: string }) => b.id === b.type || b.id.startsWith(`${b.type}-`);

/** A new processing block with its defaults, fed to every learning block. */
export function addProcessing(cfg: ImpulseConfig, spec: BlockSpec): ImpulseConfig {
  const id = freeId(cfg, spec.id);
  return {
    ...cfg,
    processing: [...cfg.processing, { id, type: spec.id, params: defaultsOf(spec.params) }],
    learning: cfg.learning.map((l) => ({ ...l, inputs: [...inputsOf(cfg, l), id] })),
  };
}

/** Without the processing block `id`; a learning block left with no input reads all the others. */
export function removeProcessing(cfg: ImpulseConfig, id: string): ImpulseConfig {
  const processing = cfg.processing.filter((p) => p.id !== id);
  return {
    ...cfg,
    processing,
    learning: cfg.learning.map((l) => {
      const inputs = inputsOf(cfg, l).filter((i) => i !== id);
      return { ...l, inputs: inputs.length ? inputs : processing.map((p) => p.id) };
    }),
  };
}

/** The processing block at `index` becomes a `spec` block with its defaults; neural learning
 *  blocks it feeds take what they propose for it (e.g. conv nets for audio). */
export function replaceProcessing(
  cfg: ImpulseConfig,
  index: number,
  spec: BlockSpec,
  learningSpecs: BlockSpec[],
): ImpulseConfig {
  const old = cfg.processing[index];
  const rest = { ...cfg, processing: cfg.processing.filter((_, i) => i !== index) };
  const id = namedAfterType(old) ? freeId(rest, spec.id) : old.id;
  const block: Processing = { id, type: spec.id, params: defaultsOf(spec.params) };
  return {
    ...cfg,
    processing: cfg.processing.map((p, i) => (i === index ? block : p)),
    learning: cfg.learning.map((l) => {
      const inputs = inputsOf(cfg, l);
      if (!inputs.includes(old.id)) return l;
      const proposals = learningSpecs.find((s) => s.id === l.type)?.proposals?.[spec.id] ?? {};
      return { ...l, inputs: inputs.map((i) => (i === old.id ? id : i)), params: { ...l.params, ...proposals } };
    }),
  };
}

/** A new learning block reading every processing block. */
export function addLearning(cfg: ImpulseConfig, spec: BlockSpec): ImpulseConfig {
  const block: Learning = {
    id: freeId(cfg, spec.id),
    type: spec.id,
    params: learningDefaults(spec, cfg.processing[0]?.type ?? ""),
    inputs: cfg.processing.map((p) => p.id),
  };
  return { ...cfg, learning: [...cfg.learning, block] };
}

export function removeLearning(cfg: ImpulseConfig, id: string): ImpulseConfig {
  return { ...cfg, learning: cfg.learning.filter((l) => l.id !== id) };
}

/** The learning block at `index` becomes a `spec` block, reading the same inputs. */
export function replaceLearning(cfg: ImpulseConfig, index: number, spec: BlockSpec): ImpulseConfig {
  const old = cfg.learning[index];
  const rest = { ...cfg, learning: cfg.learning.filter((_, i) => i !== index) };
  const inputs = inputsOf(cfg, old);
  const first = cfg.processing.find((p) => p.id === inputs[0])?.type ?? "";
  const block: Learning = {
    id: namedAfterType(old) ? freeId(rest, spec.id) : old.id,
    type: spec.id,
    params: learningDefaults(spec, first),
    inputs,
  };
  return { ...cfg, learning: cfg.learning.map((l, i) => (i === index ? block : l)) };
}

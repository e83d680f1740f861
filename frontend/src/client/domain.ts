// Shapes the pages use. Most are the generated schemas (so `npm run check:api` catches drift);
// block specs and impulse configs are free-form JSON in the schema, typed here by hand.
import type { Schemas } from "./api";

export type Sample = Schemas["SamplePublic"];
export type SamplePage = Schemas["SamplePage"];
export type SampleDetail = Schemas["SampleDetail"];
export type DatasetSummary = Schemas["DatasetSummary"];
export type Device = Schemas["DevicePublic"];
export type FilesResult = Schemas["FilesResponse"];

export type BlockParam = {
  name: string;
  type: "int" | "float" | "bool" | "select" | "string" | "float_list" | "json";
  default: unknown;
  label: string;
  help?: string;
  min?: number;
  max?: number;
  options?: string[];
  // json parameters: what the structure holds (the architecture: its layer types and settings)
  schema?: Record<string, unknown>;
  // shown only while another parameter has this value (e.g. band edges when spectral power is "edges")
  showIf?: { param: string; value: unknown };
};
export type BlockSpec = {
  id: string;
  version: number;
  name: string;
  kind: string;
  description: string;
  params: BlockParam[];
  // neural learning blocks: the parameters proposed per processing block id (network, augmentation)
  proposals?: Record<string, Record<string, unknown>>;
};
export type BlockCatalogue = { processing: BlockSpec[]; learning: BlockSpec[] };
export type ImpulseConfig = {
  input: {
    axes: string[];
    window_size_ms: number;
    window_increase_ms: number;
    frequency_hz: number;
    zero_pad?: boolean;
  };
  processing: { id: string; type: string; params: Record<string, unknown>; axes?: string[] }[];
  learning: { id: string; type: string; params: Record<string, unknown>; inputs?: string[] }[];
};
// The schema types `config` as free-form JSON; the pages read it as an ImpulseConfig.
export type Impulse = Omit<Schemas["ImpulsePublic"], "config"> & { config: ImpulseConfig };

/**
 * A job's result or a live event: free-form JSON in the schema (each job kind stores its own shape),
 * read field by field by the pages. The one place `any` is allowed, so the pages need no casts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobResult = Record<string, any>;

export type StageEstimate = { instructions: number; latency_ms: number; flash_bytes: number; ram_bytes?: number };
export type Deployment = Omit<Schemas["DeploymentPublic"], "estimates"> & {
  estimates:
    | ({
        device?: string;
        total?: StageEstimate;
        board?: Schemas["VariantOnBoard"] & { id: string; name: string }; // the board chosen for the build
      } & Record<string, unknown>)
    | null;
};

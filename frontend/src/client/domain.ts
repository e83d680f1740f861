// Shapes of API parts that landed after the last `npm run gen:api` in this tree (dataset, devices).
// They mirror backend/dataset/schemas.py and backend/device/schemas.py; regenerate and switch to
// the generated types once those routes are in the committed backend.
export type Sample = {
  id: number; name: string; category: string; label: string; device_name: string | null; device_type: string;
  interval_ms: number; frequency_hz: number; sensors: { name: string; units: string }[]; n_rows: number; n_axes: number;
  length_ms: number; signature_status: string; enabled: boolean; created_at: string;
};
export type SamplePage = { items: Sample[]; next_cursor: number | null; total: number | null };
export type SampleDetail = Sample & { timestamps_ms: number[]; values: number[][]; downsampled: boolean };
export type DatasetSummary = {
  total: number; per_label: { category: string; label: string; count: number; total_length_ms: number }[];
  sensors: { sensors: string[]; frequency_hz: number; count: number }[]; frequencies_hz: number[]; warnings: string[];
};
export type Device = {
  device_id: string; name: string; device_type: string; connection: string; connected: boolean;
  sensors: { name: string; frequencies: number[]; max_sample_length_s: number }[]; last_seen_at: string; created_at: string;
};
export type FilesResult = { success: boolean; error?: string; files?: { success: boolean; fileName?: string; error?: string }[] };

export type BlockParam = {
  name: string; type: "int" | "float" | "bool" | "select" | "string" | "float_list" | "json"; default: unknown;
  label: string; help?: string; min?: number; max?: number; options?: string[];
};
export type BlockSpec = { id: string; version: number; name: string; kind: string; description: string; params: BlockParam[] };
export type BlockCatalogue = { processing: BlockSpec[]; learning: BlockSpec[] };
export type ImpulseConfig = {
  input: { axes: string[]; window_size_ms: number; window_increase_ms: number; frequency_hz: number; zero_pad?: boolean };
  processing: { id: string; type: string; params: Record<string, unknown>; axes?: string[] }[];
  learning: { id: string; type: string; params: Record<string, unknown>; inputs?: string[] }[];
};
export type Impulse = {
  id: number; name: string; config: ImpulseConfig; version: number; features_job_id: number | null; trained_job_id: number | null;
  features_stale: boolean; model_stale: boolean; updated_at: string;
};

export type StageEstimate = { instructions: number; latency_ms: number; flash_bytes: number; ram_bytes?: number };
export type Deployment = {
  id: number; build_number: number; version: string; impulse_id: number; target: string; variant: string; job_id: number | null;
  status: string; error: string | null; artifact: { name: string; size: number; sha256: string } | null;
  estimates: ({ device?: string; total?: StageEstimate } & Record<string, unknown>) | null; download_url: string | null; created_at: string;
};

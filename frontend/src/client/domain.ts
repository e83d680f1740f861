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

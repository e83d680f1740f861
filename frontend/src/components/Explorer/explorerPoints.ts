// The explorer job's result as points on the map, with the edits made since it ran applied
// (relabels, moves, disables), so the map follows a change at once without another job.
import type { JobResult } from "../../client/domain";

export type Category = "training" | "testing";
export type SampleEdit = { label?: string; category?: Category; disabled?: boolean };
export type Edits = Record<number, SampleEdit>;

export type MapPoint = {
  x: number;
  y: number;
  sampleId: number;
  startMs: number;
  label: string; // "" = unlabeled
  category: Category;
};

export const UNLABELED = "Unlabeled";
export const UNLABELED_COLOR = "#868e96";
// Colours that stay apart for common colour-blindness (Okabe-Ito, then Tableau).
const PALETTE = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#d55e00",
  "#56b4e9",
  "#8c564b",
  "#bcbd22",
  "#17becf",
  "#7f3c8d",
];

/** The 2-D coordinates the job chose: t-SNE when it ran, else PCA. */
export function coordinates(result: JobResult): number[][] {
  return (result.embedding2d as number[][] | null) ?? (result.points2d as number[][]) ?? [];
}

export function mapPoints(result: JobResult, edits: Edits): MapPoint[] {
  const coords = coordinates(result);
  const labels: string[] = result.labels ?? [];
  const categories: string[] = result.categories ?? ["training", "testing"];
  const points: MapPoint[] = [];
  (result.sample_ids as number[]).forEach((sampleId, i) => {
    const edit = edits[sampleId] ?? {};
    if (edit.disabled) return;
    const index = result.label_index[i] as number;
    points.push({
      x: coords[i][0],
      y: coords[i][1],
      sampleId,
      startMs: result.window_start_ms[i],
      label: edit.label ?? (index >= 0 ? labels[index] : ""),
      category: edit.category ?? (categories[result.category_index[i]] as Category),
    });
  });
  return points;
}

/** Labels in a stable order: the job's own first, then new ones from edits, alphabetically. */
export function labelOrder(result: JobResult, points: MapPoint[]): string[] {
  const own: string[] = result.labels ?? [];
  const extra = [...new Set(points.map((p) => p.label))].filter((l) => l && !own.includes(l)).sort();
  return [...own, ...extra];
}

export function colorOf(label: string, order: string[]): string {
  if (!label) return UNLABELED_COLOR;
  const i = order.indexOf(label);
  return PALETTE[(i < 0 ? order.length : i) % PALETTE.length];
}

export type LegendEntry = { label: string; name: string; color: string; windows: number; samples: number };

/** One entry per label that has points, unlabeled last. */
export function legend(points: MapPoint[], order: string[]): LegendEntry[] {
  const entries: LegendEntry[] = [];
  for (const label of [...order, ""]) {
    const mine = points.filter((p) => p.label === label);
    if (mine.length === 0) continue;
    entries.push({
      label,
      name: label || UNLABELED,
      color: colorOf(label, order),
      windows: mine.length,
      samples: new Set(mine.map((p) => p.sampleId)).size,
    });
  }
  return entries;
}

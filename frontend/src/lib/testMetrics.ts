/** The test summary recomputed in the browser from a test job's stored per-window scores, so the
 * thresholds move without a new job. Same definition as the server (workers/pipeline/testing_summary.py):
 * a window is 'anomaly' when an anomaly threshold is set and its score is above it; else the first
 * label with the highest score when that score reaches the confidence threshold; else 'uncertain'. */

export const UNCERTAIN = "uncertain";
export const ANOMALY = "anomaly";

/** A test job's `per_window` columns (one entry per window). */
export type PerWindow = {
  sample_id: number[];
  start_ms: number[];
  label: string[];
  anomaly?: number[] | null;
  scores?: Record<string, number[][]>;
};

export type ClassScores = { precision: number; recall: number; f1: number; support: number };

export type TestSummary = {
  accuracy: number;
  uncertain: number;
  anomalous?: number;
  confusion_matrix: { labels: string[]; columns: string[]; matrix: number[][] };
  per_class: Record<string, ClassScores>;
  weighted_f1: number;
  windows: number;
};

export type Thresholds = { threshold: number; anomalyThreshold: number | null };

export function windowDecision(
  scores: number[],
  labels: string[],
  threshold: number,
  anomaly?: number | null,
  anomalyThreshold?: number | null,
): string {
  if (anomalyThreshold != null && anomaly != null && anomaly > anomalyThreshold) return ANOMALY;
  let top = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[top]) top = i;
  return scores[top] >= threshold ? labels[top] : UNCERTAIN;
}

/** Every window's decision for one variant (all windows, known labels or not). */
export function windowDecisions(pw: PerWindow, variant: string, labels: string[], t: Thresholds): string[] {
  const scores = pw.scores?.[variant] ?? [];
  const anomaly = t.anomalyThreshold != null ? pw.anomaly : null;
  return scores.map((s, i) => windowDecision(s, labels, t.threshold, anomaly?.[i], t.anomalyThreshold));
}

export function summarize(pw: PerWindow, variant: string, labels: string[], t: Thresholds): TestSummary {
  const useAnomaly = t.anomalyThreshold != null && pw.anomaly != null;
  const columns = [...labels, UNCERTAIN, ...(useAnomaly ? [ANOMALY] : [])];
  const matrix = labels.map(() => columns.map(() => 0));
  const decisions = windowDecisions(pw, variant, labels, t);
  pw.label.forEach((actual, i) => {
    const row = labels.indexOf(actual);
    if (row >= 0) matrix[row][columns.indexOf(decisions[i])] += 1;
  });
  const n = matrix.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
  const per_class: Record<string, ClassScores> = {};
  let weighted = 0;
  let correct = 0;
  labels.forEach((label, c) => {
    const tp = matrix[c][c];
    const predicted = matrix.reduce((a, r) => a + r[c], 0);
    const support = matrix[c].reduce((a, x) => a + x, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    per_class[label] = { precision, recall, f1, support };
    weighted += f1 * support;
    correct += tp;
  });
  const column = (name: string) => matrix.reduce((a, r) => a + r[columns.indexOf(name)], 0);
  return {
    accuracy: n ? correct / n : 0,
    uncertain: n ? column(UNCERTAIN) / n : 0,
    ...(useAnomaly ? { anomalous: n ? column(ANOMALY) / n : 0 } : {}),
    confusion_matrix: { labels, columns, matrix },
    per_class,
    weighted_f1: n ? weighted / n : 0,
    windows: n,
  };
}

/** The most frequent of a sample's window decisions; 'uncertain' on a tie (as the server's majority). */
export function majority(decisions: string[]): string {
  const counts = new Map<string, number>();
  for (const d of decisions) counts.set(d, (counts.get(d) ?? 0) + 1);
  const best = Math.max(0, ...counts.values());
  const winners = [...counts.entries()].filter(([, c]) => c === best);
  return winners.length === 1 ? winners[0][0] : UNCERTAIN;
}

export type SampleRow = {
  sampleId: number;
  label: string;
  prediction: string;
  windows: number;
  correct: number;
  /** indexes into the per-window columns, in order */
  windowIndexes: number[];
};

/** One row per sample (in the order of the test): predicted label by majority and windows right. */
export function sampleRows(pw: PerWindow, variant: string, labels: string[], t: Thresholds): SampleRow[] {
  const decisions = windowDecisions(pw, variant, labels, t);
  const rows = new Map<number, SampleRow>();
  pw.sample_id.forEach((id, i) => {
    let row = rows.get(id);
    if (!row) {
      row = { sampleId: id, label: pw.label[i], prediction: "", windows: 0, correct: 0, windowIndexes: [] };
      rows.set(id, row);
    }
    row.windows += 1;
    if (decisions[i] === pw.label[i]) row.correct += 1;
    row.windowIndexes.push(i);
  });
  for (const row of rows.values()) row.prediction = majority(row.windowIndexes.map((i) => decisions[i]));
  return [...rows.values()];
}

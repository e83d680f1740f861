import { Alert, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api, call } from "../../client/api";
import type { JobResult } from "../../client/domain";
import { useProject } from "../../hooks/useProject";
import { sampleRows, summarize, windowDecisions, type PerWindow, type SampleRow } from "../../lib/testMetrics";
import { SampleResultsTable } from "./SampleResultsTable";
import { TestSampleDrawer } from "./TestSampleDrawer";
import { TestSummaryCard } from "./TestSummaryCard";
import { ThresholdControls } from "./ThresholdControls";
import { useRelabel } from "./useRelabel";

/** A test job's per-window scores seen through one variant and the thresholds chosen here: the
 * summary, the results per sample, and a sample's windows with relabeling. Nothing is re-run. */
export function TestResultView({
  result,
  perWindow,
  variant,
  windowMs,
}: {
  result: JobResult;
  perWindow: PerWindow;
  variant: string;
  windowMs: number;
}) {
  const p = useProject();
  const labels = useMemo((): string[] => result.labels ?? [], [result]);
  const [t, setT] = useState({ threshold: Number(result.threshold ?? 0.6), anomalyThreshold: null as number | null });
  const [open, setOpen] = useState<SampleRow | null>(null);
  const relabeling = useRelabel(p.id);
  const names = useQuery({
    queryKey: ["samples", p.id, "testing-names"],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: { path: { project_id: p.id }, query: { category: "testing", limit: 1000 } },
        }),
      ),
  });
  const nameOf = useMemo(() => new Map((names.data?.items ?? []).map((s) => [s.id, s.name])), [names.data]);
  const summary = useMemo(() => summarize(perWindow, variant, labels, t), [perWindow, variant, labels, t]);
  const decisions = useMemo(() => windowDecisions(perWindow, variant, labels, t), [perWindow, variant, labels, t]);
  const rows = useMemo(() => sampleRows(perWindow, variant, labels, t), [perWindow, variant, labels, t]);
  const anomalyRange = useMemo((): [number, number] | null => {
    const a = perWindow.anomaly;
    return a?.length ? [Math.min(...a), Math.max(...a)] : null;
  }, [perWindow]);
  const relabeled = useMemo(() => new Map([...relabeling.changed].map(([id, c]) => [id, c.now])), [relabeling.changed]);
  // The drawer follows the thresholds too: the open sample's row is recomputed with them.
  const openRow = open ? (rows.find((r) => r.sampleId === open.sampleId) ?? open) : null;
  return (
    <Stack>
      <ThresholdControls value={t} onChange={setT} anomalyRange={anomalyRange} />
      <TestSummaryCard title={`Test set (${variant})`} summary={summary} />
      {result.unknown_label_windows > 0 && (
        <Alert color="gray">
          {result.unknown_label_windows} windows have a label the model was not trained on: they are left out of the
          summary.
        </Alert>
      )}
      <SampleResultsTable rows={rows} names={nameOf} relabeled={relabeled} onOpen={setOpen} />
      <TestSampleDrawer
        row={openRow}
        perWindow={perWindow}
        variant={variant}
        decisions={decisions}
        labels={labels}
        windowMs={windowMs}
        relabeling={relabeling}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}

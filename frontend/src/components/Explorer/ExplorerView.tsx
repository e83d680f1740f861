import { Badge, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useCallback, useMemo, useState } from "react";
import type { JobResult } from "../../client/domain";
import { SampleViewer } from "../Data/SampleViewer";
import { ExplorerMap, type PickMode } from "./ExplorerMap";
import { type Edits, labelOrder, legend, mapPoints, type SampleEdit } from "./explorerPoints";
import { SelectionBar } from "./SelectionBar";
import { SuggestionsPanel } from "./SuggestionsPanel";

/** One explorer result: the map with its legend, the selection's actions and the suggestions.
 * Edits made here are applied to the map at once (the job's result stays as it was). */
export function ExplorerView({
  projectId,
  impulseId,
  jobId,
  result,
  canEdit,
}: {
  projectId: number;
  impulseId: number;
  jobId: number;
  result: JobResult;
  canEdit: boolean;
}) {
  const [edits, setEdits] = useState<Edits>({});
  const [selected, setSelected] = useState<number[]>([]); // sample ids
  const [mode, setMode] = useState<PickMode>("open");
  const [open, setOpen] = useState<number | null>(null);
  const points = useMemo(() => mapPoints(result, edits), [result, edits]);
  const order = useMemo(() => labelOrder(result, points), [result, points]);
  const entries = useMemo(() => legend(points, order), [points, order]);
  const chosen = useMemo(() => new Set(selected), [selected]);
  const selectedPoints = useMemo(
    () => new Set(points.flatMap((p, i) => (chosen.has(p.sampleId) ? [i] : []))),
    [points, chosen],
  );
  const onSelect = useCallback(
    (indexes: number[]) => setSelected([...new Set(indexes.map((i) => points[i].sampleId))].sort((a, b) => a - b)),
    [points],
  );
  const onChanged = useCallback((ids: number[], edit: SampleEdit) => {
    const clean = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) as SampleEdit;
    setEdits((all) => ({ ...all, ...Object.fromEntries(ids.map((id) => [id, { ...all[id], ...clean }])) }));
  }, []);
  const testing = points.filter((p) => p.category === "testing").length;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">
            Map of {result.shown} of {result.windows} windows ({result.method === "tsne" ? "t-SNE" : "PCA"})
          </Title>
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => setMode(v as PickMode)}
            aria-label="What the mouse does on the map"
            data={[
              { value: "open", label: "Click opens a sample" },
              { value: "rect", label: "Box select" },
              { value: "polygon", label: "Lasso select" },
            ]}
          />
        </Group>
        <Text size="xs" c="dimmed">
          Each point is one window. Circles are training data, triangles testing data ({testing} windows). Points of one
          label that sit together mean the features tell that label apart.
        </Text>
        <ExplorerMap
          points={points}
          order={order}
          mode={mode}
          selected={selectedPoints}
          method={result.method}
          onOpen={setOpen}
          onSelect={onSelect}
        />
        <Group gap="xs" data-testid="explorer-legend" aria-label="Windows per label">
          {entries.map((e) => (
            <Badge
              key={e.name}
              variant="outline"
              color="dark"
              tt="none"
              leftSection={<span style={{ display: "inline-block", width: 10, height: 10, background: e.color }} />}
              data-testid="legend-entry"
            >
              {e.name}: {e.windows} windows, {e.samples} samples
            </Badge>
          ))}
        </Group>
        {Object.keys(edits).length > 0 && (
          <Text size="xs" c="dimmed" mt="xs">
            Your changes show on the map at once; draw the map again to place the points anew.
          </Text>
        )}
      </Card>
      {selected.length > 0 && (
        <SelectionBar
          projectId={projectId}
          sampleIds={selected}
          windows={selectedPoints.size}
          canEdit={canEdit}
          onChanged={(ids, edit) => {
            onChanged(ids, edit);
            setSelected([]);
          }}
          onOpen={setOpen}
          onClear={() => setSelected([])}
        />
      )}
      <SuggestionsPanel
        projectId={projectId}
        impulseId={impulseId}
        jobId={jobId}
        canEdit={canEdit}
        onAccepted={onChanged}
        onShow={setSelected}
      />
      <SampleViewer sampleId={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

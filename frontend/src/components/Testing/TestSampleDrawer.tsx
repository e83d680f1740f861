import { Alert, Badge, Button, Drawer, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";
import type { PerWindow, SampleRow } from "../../lib/testMetrics";
import { Loading } from "../ui/States";
import { RelabelControls } from "./RelabelControls";
import type { useRelabel } from "./useRelabel";
import { WindowPredictionsChart, type WindowBand } from "./WindowPredictionsChart";

/** One tested sample: its signal with each window's prediction drawn under it, the windows the
 * model got wrong, and one click to relabel the sample as the model sees it. */
export function TestSampleDrawer({
  row,
  perWindow,
  variant,
  decisions,
  labels,
  windowMs,
  relabeling,
  onClose,
}: {
  row: SampleRow | null;
  perWindow: PerWindow;
  variant: string;
  decisions: string[];
  labels: string[];
  windowMs: number;
  relabeling: ReturnType<typeof useRelabel>;
  onClose: () => void;
}) {
  const p = useProject();
  const sample = useQuery({
    queryKey: ["samples", p.id, "detail", row?.sampleId],
    enabled: row !== null,
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples/{sample_id}", {
          params: { path: { project_id: p.id, sample_id: row!.sampleId }, query: { max_points: 4000 } },
        }),
      ),
  });
  const s = sample.data;
  const scores = perWindow.scores?.[variant] ?? [];
  const bands: WindowBand[] = (row?.windowIndexes ?? []).map((i) => ({
    startMs: perWindow.start_ms[i],
    endMs: perWindow.start_ms[i] + windowMs,
    decision: decisions[i],
    topScore: Math.max(...(scores[i] ?? [0])),
    wrong: decisions[i] !== perWindow.label[i],
  }));
  const wrong = bands.filter((b) => b.wrong);
  return (
    <Drawer opened={row !== null} onClose={onClose} position="right" size="xl" title={s?.name ?? "Sample"}>
      {sample.isError && <Alert color="red">{errorText(sample.error)}</Alert>}
      {sample.isPending && <Loading />}
      {s && row && (
        <Stack>
          <Group gap="xs">
            <Badge>label {s.label || "unlabeled"}</Badge>
            <Badge color={row.prediction === row.label ? "teal" : "red"} variant="light">
              predicted {row.prediction}
            </Badge>
            <Badge variant="outline">
              {row.correct} of {row.windows} windows right
            </Badge>
            <Badge variant="outline">{variant}</Badge>
          </Group>
          <WindowPredictionsChart
            times={s.timestamps_ms}
            values={s.values}
            names={s.sensors.map((x) => x.name)}
            bands={bands}
            labels={labels}
          />
          {p.canEdit && (
            <RelabelControls
              sampleId={s.id}
              current={s.label}
              suggestion={row.prediction !== row.label && labels.includes(row.prediction) ? row.prediction : null}
              labels={labels}
              relabeling={relabeling}
            />
          )}
          <Title order={4} size="h5">
            {wrong.length ? `Windows the model got wrong (${wrong.length})` : "The model got every window right"}
          </Title>
          {wrong.length > 0 && (
            <Table aria-label="Wrong windows" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Window</Table.Th>
                  <Table.Th>Predicted</Table.Th>
                  <Table.Th>Top score</Table.Th>
                  {p.canEdit && <Table.Th>Relabel the sample</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {wrong.slice(0, 200).map((b) => (
                  <Table.Tr key={b.startMs}>
                    <Table.Td>
                      {Math.round(b.startMs)}–{Math.round(b.endMs)} ms
                    </Table.Td>
                    <Table.Td>{b.decision}</Table.Td>
                    <Table.Td>{(b.topScore * 100).toFixed(0)}%</Table.Td>
                    {p.canEdit && (
                      <Table.Td>
                        {labels.includes(b.decision) && b.decision !== s.label && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            aria-label={`Relabel the sample as ${b.decision} (window at ${Math.round(b.startMs)} ms)`}
                            loading={relabeling.mutation.isPending}
                            onClick={() => relabeling.relabel({ sampleId: s.id, from: s.label, to: b.decision })}
                          >
                            as {b.decision}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="xs" c="dimmed">
            Drag across the chart to zoom; double-click to zoom out. The bands under it follow the zoom.
          </Text>
        </Stack>
      )}
    </Drawer>
  );
}

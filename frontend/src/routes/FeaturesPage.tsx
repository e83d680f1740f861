import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useCallback, useMemo, useState } from "react";
import { errorText } from "../client/api";
import { EChart } from "../components/Charts/EChart";
import { SampleViewer } from "../components/Data/SampleViewer";
import { DspPreview } from "../components/Impulse/DspPreview";
import { JobProgress } from "../components/Jobs/JobProgress";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";
import "echarts-gl";
import type { JobResult } from "../client/domain";
import type { ECElementEvent, EChartsOption } from "echarts";

function Explorer({ result }: { result: JobResult }) {
  const [dims, setDims] = useState<"2" | "3">("2");
  const [sample, setSample] = useState<number | null>(null);
  const labels: string[] = result.labels ?? [];
  const points: number[][] = result[`points${dims}d`] ?? [];
  const option = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { seriesName: string; data: number[] }) =>
          `${p.seriesName} · sample ${p.data[dims === "2" ? 2 : 3]}`,
      },
      legend: { top: 0 },
      ...(dims === "2"
        ? { xAxis: { name: "PC1", scale: true }, yAxis: { name: "PC2", scale: true } }
        : { grid3D: {}, xAxis3D: { name: "PC1" }, yAxis3D: { name: "PC2" }, zAxis3D: { name: "PC3" } }),
      series: labels.map((label, k) => ({
        name: label,
        type: dims === "2" ? "scatter" : "scatter3D",
        symbolSize: 7,
        data: points.map((pt, i) => [...pt, result.sample_ids[i]]).filter((_, i) => result.label_index[i] === k),
      })),
    }),
    [dims, labels, points, result],
  );
  const onClick = useCallback(
    (p: ECElementEvent) => setSample((p.data as number[])[(p.data as number[]).length - 1]),
    [],
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Feature explorer
        </Title>
        <SegmentedControl
          size="xs"
          value={dims}
          onChange={(v) => setDims(v as "2" | "3")}
          data={[
            { value: "2", label: "2D" },
            { value: "3", label: "3D" },
          ]}
          aria-label="Dimensions"
        />
      </Group>
      <Text size="xs" c="dimmed">
        {result.shown} of {result.windows} windows, PCA; click a point to open its sample. Well-separated colours mean
        the features tell the labels apart.
      </Text>
      <EChart label="Feature explorer" height={420} option={option as EChartsOption} onClick={onClick} />
      <SampleViewer sampleId={sample} onClose={() => setSample(null)} />
    </Card>
  );
}

function Features() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  const features = useLatestJob(
    p.id,
    "impulse.generate_features",
    impulse && { impulseId: impulse.id, action: "features" },
  );
  const explorer = useLatestJob(
    p.id,
    "impulse.feature_explorer",
    impulse && { impulseId: impulse.id, action: "feature-explorer" },
  );
  if (!impulse)
    return (
      <EmptyState
        title="Design an impulse first"
        action={<NextStep to={`/projects/${p.id}/impulse`}>Design the impulse</NextStep>}
      >
        Pick its processing block on the Impulse design page.
      </EmptyState>
    );
  const r = features.result;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between">
          <div>
            <Title order={3} size="h4">
              Generate features
            </Title>
            <Text size="sm" c="dimmed">
              {impulse.features_stale
                ? "The impulse or data changed since the last run: generate again."
                : "Features are up to date."}
            </Text>
          </div>
          {p.canEdit && (
            <Button onClick={() => features.start.mutate({})} loading={features.start.isPending}>
              Generate features
            </Button>
          )}
        </Group>
        {features.start.isError && (
          <Alert color="red" mt="sm">
            {errorText(features.start.error)}
          </Alert>
        )}
      </Card>
      <DspPreview projectId={p.id} impulseId={impulse.id} />
      {features.live && <JobProgress projectId={p.id} job={features.live} title="Generating features" />}
      {r && (
        <Text size="sm" data-testid="features-summary">
          {r.windows} windows × {r.features} features from {r.samples} samples ({(r.labels ?? []).join(", ")}).
        </Text>
      )}
      <Group>
        {p.canEdit && (
          <Button variant="light" onClick={() => explorer.start.mutate({})} loading={explorer.start.isPending}>
            Open the feature explorer
          </Button>
        )}
      </Group>
      {explorer.live && explorer.live.status !== "succeeded" && (
        <JobProgress projectId={p.id} job={explorer.live} title="Feature explorer" />
      )}
      {explorer.result && <Explorer result={explorer.result} />}
    </Stack>
  );
}

export function FeaturesPage() {
  return (
    <StagePage
      title="Processing block"
      empty=""
      description="Turn every window of your data into features, then look at how well they separate the labels."
    >
      <Features />
    </StagePage>
  );
}

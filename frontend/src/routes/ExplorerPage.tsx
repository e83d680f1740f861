import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { errorText } from "../client/api";
import { ExplorerView } from "../components/Explorer/ExplorerView";
import { JobProgress } from "../components/Jobs/JobProgress";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";

type Method = "auto" | "pca" | "tsne";

function Explorer() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  const [method, setMethod] = useState<Method>("auto");
  const job = useLatestJob(
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
        The map shows your data through the impulse&apos;s processing blocks.
      </EmptyState>
    );
  const live = job.live;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" align="end">
          <div>
            <Title order={3} size="h4">
              Draw the map
            </Title>
            <Text size="sm" c="dimmed">
              Every window of every enabled sample, placed so similar windows sit close. Auto uses t-SNE from 50 windows
              on, PCA below. A map of unchanged data opens at once.
            </Text>
          </div>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={method}
              onChange={(v) => setMethod(v as Method)}
              aria-label="How to place the points"
              data={[
                { value: "auto", label: "Auto" },
                { value: "pca", label: "PCA" },
                { value: "tsne", label: "t-SNE" },
              ]}
            />
            {p.canEdit && (
              <Button onClick={() => job.start.mutate({ method })} loading={job.start.isPending}>
                Draw the map
              </Button>
            )}
          </Group>
        </Group>
        {job.start.isError && (
          <Alert color="red" mt="sm">
            {errorText(job.start.error)}
          </Alert>
        )}
      </Card>
      {live && live.status !== "succeeded" && <JobProgress projectId={p.id} job={live} title="Data explorer" />}
      {live && job.result && (
        <ExplorerView
          key={live.id}
          projectId={p.id}
          impulseId={impulse.id}
          jobId={live.id}
          result={job.result}
          canEdit={p.canEdit}
        />
      )}
    </Stack>
  );
}

export function ExplorerPage() {
  return (
    <StagePage
      title="Data explorer"
      empty=""
      description="See all your data at once, coloured by label: find mislabeled samples, fix many at a time, and label new data from suggestions."
    >
      <Explorer />
    </StagePage>
  );
}

import { Alert, Button, Grid, Group, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { errorText } from "../client/api";
import { JobProgress } from "../components/Jobs/JobProgress";
import { ModelMetrics } from "../components/Training/ModelMetrics";
import { TrainingCurves } from "../components/Training/TrainingCurves";
import { VariantWarnings } from "../components/Training/VariantWarnings";
import { StagePage } from "../components/ui/StagePage";
import { TrainingSetup } from "../components/Training/TrainingSetup";
import { EmptyState, Loading, NextStep } from "../components/ui/States";
import { useBlocks, useImpulse } from "../hooks/useImpulse";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";
import type { JobResult } from "../client/domain";
import type { Epoch } from "../hooks/useJobStream";

function Training() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  const blocks = useBlocks();
  const train = useLatestJob(p.id, "impulse.train", impulse && { impulseId: impulse.id, action: "train" });
  if (!impulse)
    return (
      <EmptyState
        title="Design an impulse first"
        action={<NextStep to={`/projects/${p.id}/impulse`}>Design the impulse</NextStep>}
      >
        Then set up its training and neural network here.
      </EmptyState>
    );
  const r = train.result;
  const history: JobResult[] = r?.history ?? [];
  const epochs = train.live?.epochs.length
    ? train.live.epochs
    : (history.map((h, i) => ({ epoch: h.epoch ?? i + 1, epochs: history.length, ...h })) as Epoch[]);
  return (
    <Stack>
      {blocks.data ? (
        <TrainingSetup
          key={impulse.id}
          projectId={p.id}
          canEdit={p.canEdit}
          impulse={impulse}
          blocks={blocks.data}
          training={train.start.isPending}
          onTrain={() => train.start.mutateAsync({})}
        />
      ) : (
        <Loading />
      )}
      {train.start.isError && (
        <Alert color="red" role="alert">
          {errorText(train.start.error)}
        </Alert>
      )}
      {train.live && <JobProgress projectId={p.id} job={train.live} title="Training" />}
      {epochs.length > 0 && <TrainingCurves epochs={epochs} />}
      <VariantWarnings
        warnings={r?.warnings}
        action={
          <Group gap="xs">
            <Button size="xs" component={Link} to={`/projects/${p.id}/testing?variant=float32`}>
              Test the float32 model
            </Button>
            <Button size="xs" variant="light" component={Link} to={`/projects/${p.id}/deployment?variant=float32`}>
              Deploy float32
            </Button>
          </Group>
        }
      />
      {r?.metrics && (
        <Grid>
          {(["float32", "int8"] as const)
            .filter((v) => r.metrics[v])
            .map((v) => (
              <Grid.Col key={v} span={{ base: 12, lg: 6 }}>
                <ModelMetrics title={v} metrics={r.metrics[v]} labels={r.labels ?? []} estimate={r.estimates?.[v]} />
              </Grid.Col>
            ))}
        </Grid>
      )}
      {r?.learning?.best_epoch !== undefined && (
        <Text size="sm">
          Kept the weights of epoch {r.learning.best_epoch} of {history.length}
          {r.learning.stopped_early ? " (stopped early: validation loss stopped improving)" : ""}
          {r.learning.normalization ? "; features normalised with the training set's mean and deviation" : ""}.
        </Text>
      )}
      {r?.metrics?.int8_float_agreement !== undefined && (
        <Text size="sm">
          int8 and float32 agree on {(r.metrics.int8_float_agreement * 100).toFixed(1)}% of validation windows.
        </Text>
      )}
    </Stack>
  );
}

export function TrainingPage() {
  return (
    <StagePage
      title="Training"
      empty=""
      description="Set up the training and the neural network (layers, with their size and on-device cost as you edit), then train. Loss and accuracy update live; then float32 and int8 results with their confusion matrices."
    >
      <Training />
    </StagePage>
  );
}

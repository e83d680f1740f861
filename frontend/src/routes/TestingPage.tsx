import { Alert, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { errorText } from "../client/api";
import { JobProgress } from "../components/Jobs/JobProgress";
import { TestResultView } from "../components/Testing/TestResultView";
import { ModelMetrics } from "../components/Training/ModelMetrics";
import { VariantPicker, VariantWarnings, type Variant } from "../components/Training/VariantWarnings";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";
import type { JobResult } from "../client/domain";
import type { PerWindow } from "../lib/testMetrics";

function Testing() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  const test = useLatestJob(p.id, "impulse.test", impulse && { impulseId: impulse.id, action: "test" });
  const train = useLatestJob(p.id, "impulse.train", null);
  const [params] = useSearchParams();
  const [variant, setVariant] = useState<Variant>(params.get("variant") === "float32" ? "float32" : "int8");
  if (!impulse?.trained_job_id)
    return (
      <EmptyState
        title="Train a model first"
        action={<NextStep to={`/projects/${p.id}/training`}>Go to training</NextStep>}
      >
        Then run it here on the samples of the testing category.
      </EmptyState>
    );
  const r = test.result;
  const metrics = r?.metrics ?? r;
  const samples: JobResult[] = r?.samples ?? [];
  const perWindow: PerWindow | undefined = r?.per_window;
  const both: Record<string, number> | undefined = r?.variant_accuracy;
  const warnings = [...(train.result?.warnings ?? []), ...(r?.warnings ?? [])];
  // Every run scores both variants: float32 is one switch away unless this run lacks it.
  const haveFloat = !!perWindow?.scores?.float32;
  const runFloat = () => {
    setVariant("float32");
    if (!haveFloat) test.start.mutate({ variant: "float32" });
  };
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between">
          <Title order={3} size="h4">
            Test the model on the test set
          </Title>
          <Group>
            <VariantPicker value={variant} onChange={setVariant} />
            {p.canEdit && (
              <Button onClick={() => test.start.mutate({ variant })} loading={test.start.isPending}>
                Classify all test samples
              </Button>
            )}
          </Group>
        </Group>
        {test.start.isError && (
          <Alert color="red" mt="sm">
            {errorText(test.start.error)}
          </Alert>
        )}
      </Card>
      <VariantWarnings
        warnings={warnings}
        action={
          p.canEdit &&
          variant !== "float32" && (
            <Button size="xs" onClick={runFloat} loading={test.start.isPending}>
              {haveFloat ? "See the float32 results" : "Test the float32 model"}
            </Button>
          )
        }
      />
      {test.live && <JobProgress projectId={p.id} job={test.live} title="Testing" />}
      {both && (
        <Text size="sm" data-testid="variant-accuracy">
          Test accuracy of this run's {r?.variant ?? "int8"} model:{" "}
          <b>{(both[r?.variant ?? "int8"] * 100).toFixed(1)}%</b>; the {r?.variant === "float32" ? "int8" : "float32"}{" "}
          model on the same windows: <b>{(both[r?.variant === "float32" ? "int8" : "float32"] * 100).toFixed(1)}%</b>.
        </Text>
      )}
      {perWindow?.scores?.[variant] ? (
        <TestResultView
          key={test.live?.id}
          result={r!}
          perWindow={perWindow}
          variant={variant}
          windowMs={impulse.config.input.window_size_ms}
        />
      ) : (
        <>
          {perWindow?.scores && (
            <Alert color="gray" data-testid="variant-missing">
              This test run has no {variant} scores: test again to see the {variant} model.
            </Alert>
          )}
          {!perWindow?.scores && metrics?.confusion_matrix && (
            <ModelMetrics
              title={`Test set (${r?.variant ?? "int8"})`}
              metrics={metrics}
              labels={metrics.confusion_matrix.labels ?? []}
            />
          )}
          {!perWindow?.scores && samples.length > 0 && (
            <Text size="sm" c="dimmed">
              {samples.length} samples tested. Test again to get the results per sample and window, with thresholds.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

export function TestingPage() {
  return (
    <StagePage
      title="Model testing"
      empty=""
      description="Run the trained model on every test sample, then tune the thresholds, open a sample to see each window's prediction, and fix wrong labels."
    >
      <Testing />
    </StagePage>
  );
}

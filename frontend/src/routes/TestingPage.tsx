import { Alert, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { errorText } from "../client/api";
import { JobProgress } from "../components/Jobs/JobProgress";
import { ModelMetrics } from "../components/Training/ModelMetrics";
import { VariantPicker, VariantWarnings, type Variant } from "../components/Training/VariantWarnings";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";
import type { JobResult } from "../client/domain";

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
  const both: Record<string, number> | undefined = r?.variant_accuracy;
  const warnings = [...(train.result?.warnings ?? []), ...(r?.warnings ?? [])];
  const runFloat = () => {
    setVariant("float32");
    test.start.mutate({ variant: "float32" });
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
          r?.variant !== "float32" && (
            <Button size="xs" onClick={runFloat} loading={test.start.isPending}>
              Test the float32 model
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
      {metrics?.confusion_matrix && (
        <ModelMetrics
          title={`Test set (${r?.variant ?? "int8"})`}
          metrics={metrics}
          labels={metrics.confusion_matrix.labels ?? []}
        />
      )}
      {samples.length > 0 && (
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Results per sample
          </Title>
          <Table.ScrollContainer minWidth={480}>
            <Table aria-label="Test results" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Sample</Table.Th>
                  <Table.Th>Expected</Table.Th>
                  <Table.Th>Predicted</Table.Th>
                  <Table.Th>Windows</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {samples.slice(0, 500).map((s, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{s.name ?? s.sample_id}</Table.Td>
                    <Table.Td>{s.label}</Table.Td>
                    <Table.Td>
                      <Text span c={s.prediction === s.label ? "teal" : "red"} size="sm">
                        {s.prediction}
                      </Text>
                    </Table.Td>
                    <Table.Td>{s.windows}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}

export function TestingPage() {
  return (
    <StagePage
      title="Model testing"
      empty=""
      description="Run the trained model on every test sample: a result per sample and a confusion matrix."
    >
      <Testing />
    </StagePage>
  );
}

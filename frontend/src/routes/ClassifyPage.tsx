import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../client/api";
import { LivePanel } from "../components/Classify/LivePanel";
import { VariantPicker, type Variant } from "../components/Training/VariantWarnings";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useProject } from "../hooks/useProject";

type Window = {
  start_ms: number;
  prediction?: string;
  classification?: Record<string, number>;
  value?: number;
  anomaly?: number;
  features: number[];
};
type Classified = { labels: string[]; windows: Window[]; prediction?: string; variant?: Variant };

function Classify() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  if (!impulse?.trained_job_id)
    return (
      <EmptyState
        title="Train a model first"
        action={<NextStep to={`/projects/${p.id}/training`}>Go to training</NextStep>}
      >
        Then classify test samples or a device's readings live here, window by window.
      </EmptyState>
    );
  return (
    <Tabs defaultValue="sample" keepMounted={false}>
      <Tabs.List mb="md">
        <Tabs.Tab value="sample">Test sample</Tabs.Tab>
        <Tabs.Tab value="live">Live from a device</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="sample">
        <ClassifySample />
      </Tabs.Panel>
      <Tabs.Panel value="live">
        <LivePanel project={p} impulseId={impulse.id} />
      </Tabs.Panel>
    </Tabs>
  );
}

function ClassifySample() {
  const p = useProject();
  const { impulse } = useImpulse(p.id);
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [variant, setVariant] = useState<Variant>("int8");
  const samples = useQuery({
    queryKey: ["samples", p.id, "testing-pick"],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: { path: { project_id: p.id }, query: { category: "testing", limit: 200 } },
        }),
      ),
  });
  const run = useMutation({
    // The worker's answer is free-form JSON in the schema; Classified is what the classify task returns.
    mutationFn: async () =>
      (await call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/classify", {
          params: { path: { project_id: p.id, impulse_id: impulse!.id } },
          body: { sample_id: Number(sampleId), variant } as Schemas["ClassifyRequest"],
        }),
      )) as Classified,
  });
  const r = run.data;
  return (
    <Stack>
      <Card withBorder>
        <Group align="flex-end">
          <Select
            label="Test sample"
            placeholder={samples.data?.items.length ? "pick one" : "no test samples yet"}
            searchable
            style={{ flex: 1 }}
            data={(samples.data?.items ?? []).map((s) => ({ value: String(s.id), label: `${s.name} (${s.label})` }))}
            value={sampleId}
            onChange={setSampleId}
          />
          <VariantPicker value={variant} onChange={setVariant} />
          <Button onClick={() => run.mutate()} disabled={!sampleId} loading={run.isPending}>
            Classify
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          To classify a fresh recording, record it into the testing category from a device, then pick it here.
        </Text>
        {run.isError && (
          <Alert color="red" mt="sm">
            {errorText(run.error)}
          </Alert>
        )}
      </Card>
      {r && (
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              Per window ({r.variant ?? "int8"} model)
            </Title>
            {r.prediction && <Badge size="lg">{r.prediction}</Badge>}
          </Group>
          <Table.ScrollContainer minWidth={520}>
            <Table aria-label="Classification per window" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Start</Table.Th>
                  {r.labels.map((l) => (
                    <Table.Th key={l}>{l}</Table.Th>
                  ))}
                  <Table.Th>Result</Table.Th>
                  <Table.Th>Raw features</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.windows.map((w, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{w.start_ms.toFixed(0)} ms</Table.Td>
                    {r.labels.map((l) => (
                      <Table.Td key={l}>{w.classification?.[l]?.toFixed(2) ?? "–"}</Table.Td>
                    ))}
                    <Table.Td>{w.prediction ?? w.value?.toFixed(3)}</Table.Td>
                    <Table.Td>
                      <CopyButton value={w.features.join(", ")}>
                        {({ copied, copy }) => (
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={copy}
                            title="For the static_buffer example"
                          >
                            {copied ? "Copied" : "Copy features"}
                          </Button>
                        )}
                      </CopyButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {r.windows[0] && (
            <Code block mt="xs" style={{ maxHeight: 80, overflow: "auto" }}>
              {r.windows[0].features.join(", ")}
            </Code>
          )}
        </Card>
      )}
    </Stack>
  );
}

export function ClassifyPage() {
  return (
    <StagePage
      title="Live classification"
      empty=""
      description="Classify a test sample window by window (and copy a window's raw features for the static_buffer example), or a connected device's readings live as they arrive."
    >
      <Classify />
    </StagePage>
  );
}

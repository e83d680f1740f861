import { Alert, Button, Card, Group, NumberInput, Select, SimpleGrid, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText } from "../../client/api";
import { EChart } from "../Charts/EChart";
import { type DspGraph, dspGraphOption } from "./dspGraphOption";

type Preview = {
  window_start_ms: number;
  signal_ms: number;
  blocks: { id: string; type: string; feature_names: string[]; features: number[]; graphs?: DspGraph[] }[];
};

/** One window of a chosen sample through the processing blocks: their graphs and features. */
export function DspPreview({ projectId, impulseId }: { projectId: number; impulseId: number }) {
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [start, setStart] = useState(0);
  const samples = useQuery({
    queryKey: ["samples", projectId, "preview-pick"],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: { path: { project_id: projectId }, query: { limit: 200 } },
        }),
      ),
  });
  const preview = useMutation({
    // The worker's answer is free-form JSON in the schema; Preview is what the preview task returns.
    mutationFn: async () =>
      (await call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/preview", {
          params: { path: { project_id: projectId, impulse_id: impulseId } },
          body: { sample_id: Number(sampleId), window_start_ms: start },
        }),
      )) as Preview,
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        DSP preview
      </Title>
      <Group align="flex-end">
        <Select
          label="Sample"
          searchable
          placeholder="pick a sample"
          style={{ flex: 1 }}
          value={sampleId}
          onChange={setSampleId}
          data={(samples.data?.items ?? []).map((s) => ({ value: String(s.id), label: `${s.name} (${s.label})` }))}
        />
        <NumberInput
          label="Window start (ms)"
          value={start}
          min={0}
          step={100}
          onChange={(v) => setStart(Number(v) || 0)}
          w={170}
        />
        <Button variant="light" disabled={!sampleId} loading={preview.isPending} onClick={() => preview.mutate()}>
          Show
        </Button>
      </Group>
      {preview.isError && (
        <Alert color="red" mt="sm">
          {errorText(preview.error)}
        </Alert>
      )}
      {preview.data?.blocks.map((b) => (
        <div key={b.id}>
          <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
            {(b.graphs ?? []).map((g) => (
              <EChart key={g.name} label={g.name} height={g.type === "image" ? 260 : 220} option={dspGraphOption(g)} />
            ))}
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {b.features.length} features:{" "}
            {b.feature_names
              .slice(0, 6)
              .map((n, i) => `${n} ${b.features[i].toFixed(3)}`)
              .join(", ")}
            {b.features.length > 6 ? " …" : ""}
          </Text>
        </div>
      ))}
    </Card>
  );
}

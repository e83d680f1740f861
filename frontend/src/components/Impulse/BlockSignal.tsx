import { Card, Select, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, call } from "../../client/api";
import type { ImpulseConfig } from "../../client/domain";
import { Loading } from "../ui/States";
import { SignalWindow } from "./SignalWindow";

/** Pick a sample, see its raw signal, and drag the impulse's window over it. */
export function BlockSignal({
  projectId,
  input,
  sampleId,
  onSample,
  start,
  onStart,
}: {
  projectId: number;
  input: ImpulseConfig["input"];
  sampleId: number | null;
  onSample: (id: number) => void;
  start: number;
  onStart: (ms: number) => void;
}) {
  const samples = useQuery({
    queryKey: ["samples", projectId, "preview-pick"],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: { path: { project_id: projectId }, query: { limit: 200 } },
        }),
      ),
  });
  const sample = useQuery({
    queryKey: ["sample", projectId, sampleId, "plot"],
    enabled: sampleId !== null,
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples/{sample_id}", {
          params: { path: { project_id: projectId, sample_id: sampleId! }, query: { max_points: 2000 } },
        }),
      ),
  });
  const items = samples.data?.items;
  // Start on the first sample long enough for a window, so the preview shows something at once.
  useEffect(() => {
    if (sampleId !== null || !items?.length) return;
    onSample((items.find((s) => s.length_ms >= input.window_size_ms) ?? items[0]).id);
  }, [items, sampleId, onSample, input.window_size_ms]);

  const d = sample.data;
  // Only the impulse's axes, in its order: what the block sees.
  const columns = d ? input.axes.map((a) => d.sensors.findIndex((s) => s.name === a)).filter((i) => i >= 0) : [];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Raw signal
      </Title>
      <Select
        label="Sample"
        searchable
        placeholder="pick a sample"
        mb="sm"
        value={sampleId === null ? null : String(sampleId)}
        onChange={(v) => v && onSample(Number(v))}
        allowDeselect={false}
        data={(items ?? []).map((s) => ({ value: String(s.id), label: `${s.name} (${s.label})` }))}
      />
      {sampleId !== null && !d && <Loading label="Loading the sample" />}
      {d && (
        <>
          <SignalWindow
            times={d.timestamps_ms}
            values={d.values.map((r) => columns.map((c) => r[c]))}
            names={columns.map((c) => d.sensors[c].name)}
            lengthMs={d.length_ms}
            windowMs={input.window_size_ms}
            stepMs={input.window_increase_ms}
            start={start}
            onChange={onStart}
          />
          <Text size="xs" c="dimmed" mt={4}>
            Drag the shaded window (or click where it should start, or use the arrow keys on it) to choose which{" "}
            {input.window_size_ms} ms the preview shows.
          </Text>
        </>
      )}
    </Card>
  );
}

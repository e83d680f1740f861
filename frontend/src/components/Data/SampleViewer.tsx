import { Alert, Badge, Button, Drawer, Group, NumberInput, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";
import { useProject } from "../../hooks/useProject";
import { SignalChart } from "../Charts/SignalChart";
import { AudioSampleView } from "./AudioSampleView";

// Audio samples (WAV uploads, phone microphones) have their axes in units "wav", as the server decides.
const isAudio = (s: Schemas["SampleDetail"]) => s.sensors.length > 0 && s.sensors.every((x) => x.units === "wav");

/** One sample's signal with zoom (drag on the chart), crop to a selection, and split into windows;
 * audio samples get a waveform, spectrogram, playback and split by events instead. */
export function SampleViewer({ sampleId, onClose }: { sampleId: number | null; onClose: () => void }) {
  const p = useProject();
  const qc = useQueryClient();
  const path = { project_id: p.id, sample_id: sampleId! };
  const sample = useQuery({
    queryKey: ["samples", p.id, "detail", sampleId],
    enabled: sampleId !== null,
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples/{sample_id}", { params: { path, query: { max_points: 4000 } } }),
      ),
  });
  const [range, setRange] = useState<[number, number] | null>(null);
  const [windowMs, setWindowMs] = useState(1000);
  const onSelect = useCallback((a: number, b: number) => setRange([Math.max(0, Math.round(a)), Math.round(b)]), []);
  useEffect(() => setRange(null), [sampleId]);
  const refresh = () =>
    qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "samples" || q.queryKey[0] === "dataset" });
  const done = { onSuccess: refresh };
  // The cropped sample starts at 0 ms: the old selection would point past its end, so select it whole.
  const crop = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/samples/{sample_id}/crop", {
          params: { path },
          body: { start_ms: range![0], end_ms: range![1] },
        }),
      ),
    onSuccess: (cropped) => {
      setRange([0, Math.round(cropped.length_ms)]);
      refresh();
    },
  });
  const split = useMutation({
    ...done,
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/samples/{sample_id}/split", {
          params: { path },
          body: { mode: "windows", window_ms: windowMs } as Schemas["SplitRequest"],
        }),
      ),
    onSettled: onClose,
  });
  const s = sample.data;
  return (
    <Drawer opened={sampleId !== null} onClose={onClose} position="right" size="xl" title={s?.name ?? "Sample"}>
      {sample.isError && <Alert color="red">{errorText(sample.error)}</Alert>}
      {s && (
        <Stack>
          <Group gap="xs">
            <Badge>{s.label || "unlabeled"}</Badge>
            <Badge variant="light">{s.category}</Badge>
            <Badge variant="outline">{s.frequency_hz} Hz</Badge>
            <Badge variant="outline">{(s.length_ms / 1000).toFixed(2)} s</Badge>
            <Badge color={s.signature_status === "valid" ? "teal" : "yellow"} variant="light">
              signature {s.signature_status}
            </Badge>
          </Group>
          {isAudio(s) ? (
            <AudioSampleView projectId={p.id} sample={s} canEdit={p.canEdit} onApplied={onClose} onCropped={refresh} />
          ) : (
            <>
              <SignalChart
                times={s.timestamps_ms}
                values={s.values}
                names={s.sensors.map((x) => x.name)}
                onSelect={onSelect}
              />
              <Text size="xs" c="dimmed">
                Drag across the chart to zoom and select; double-click to zoom out.
                {s.downsampled && " Long recording: shown as each bucket's min and max."}
              </Text>
              {p.canEdit && (
                <>
                  <Group align="flex-end">
                    <Text size="sm">{range ? `Selection ${range[0]}–${range[1]} ms` : "Select a range to crop"}</Text>
                    <Button size="xs" disabled={!range} loading={crop.isPending} onClick={() => crop.mutate()}>
                      Crop to selection
                    </Button>
                  </Group>
                  <Group align="flex-end">
                    <NumberInput
                      label="Split into windows of (ms)"
                      value={windowMs}
                      min={10}
                      onChange={(v) => setWindowMs(Number(v) || 1000)}
                      w={200}
                    />
                    <Button size="xs" variant="light" loading={split.isPending} onClick={() => split.mutate()}>
                      Split
                    </Button>
                  </Group>
                  {(crop.isError || split.isError) && <Alert color="red">{errorText(crop.error ?? split.error)}</Alert>}
                </>
              )}
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Progress,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useState, type FormEvent } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";
import type { Device } from "../../client/domain";
import { useProject } from "../../hooks/useProject";
import { useProjectEventListener } from "../../hooks/useProjectEvents";
import type { ProjectEvent } from "../../lib/projectEvents";

const STAGE_TEXT: Record<string, string> = {
  accepted: "The device accepted",
  started: "Recording",
  reading: "Recording",
  processing: "Processing",
  uploading: "Uploading",
  finished: "Done",
  failed: "Failed",
};

/** Ask a connected device to record a labeled sample; progress follows from `device.sampling` events. */
export function RecordFromDevice({ devices }: { devices: Device[] }) {
  const p = useProject();
  const online = devices.filter((d) => d.connected);
  const [deviceId, setDeviceId] = useState<string | null>(online[0]?.device_id ?? null);
  const device = online.find((d) => d.device_id === deviceId) ?? online[0];
  const [sensor, setSensor] = useState<string | null>(null);
  const chosen = device?.sensors.find((s) => s.name === sensor) ?? device?.sensors[0];
  const [label, setLabel] = useState("");
  const [lengthS, setLengthS] = useState(10);
  const [category, setCategory] = useState("training");
  const [progress, setProgress] = useState<{ stage: string; pct: number; error?: string } | null>(null);
  const [requestId, setRequestId] = useState<string | null>(null);

  useProjectEventListener(
    useCallback(
      (ev: ProjectEvent) => {
        if (ev.type !== "device.sampling" || (requestId && ev.request_id !== requestId)) return;
        const stage = String(ev.stage ?? "");
        const pct =
          typeof ev.progress === "number" ? ev.progress : stage === "finished" ? 100 : stage === "uploading" ? 95 : 0;
        setProgress({
          stage,
          pct: pct <= 1 && stage !== "finished" ? pct * 100 : pct,
          error: ev.error as string | undefined,
        });
      },
      [requestId],
    ),
  );

  const start = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/devices/{device_id}/sample", {
          params: { path: { project_id: p.id, device_id: device!.device_id } },
          body: {
            label,
            length_ms: Math.round(lengthS * 1000),
            sensor: chosen?.name,
            category: category as Schemas["SampleRequestCreate"]["category"],
          },
        }),
      ),
    onMutate: () => setProgress({ stage: "asking", pct: 0 }),
    onSuccess: (a) => {
      setRequestId(a.request_id);
      setProgress((pr) => (pr && pr.stage !== "asking" ? pr : { stage: a.stage, pct: 0 }));
    },
    onError: () => setProgress(null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  if (!device) return null;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Record new data
      </Title>
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-end">
            <Select
              label="Device"
              data={online.map((d) => ({ value: d.device_id, label: d.name }))}
              value={device.device_id}
              onChange={setDeviceId}
              allowDeselect={false}
            />
            <Select
              label="Sensor"
              data={device.sensors.map((s) => s.name)}
              value={chosen?.name ?? null}
              onChange={setSensor}
              allowDeselect={false}
            />
          </Group>
          <Group grow align="flex-end">
            <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required />
            <NumberInput
              label="Length (s)"
              value={lengthS}
              min={0.1}
              max={chosen?.max_sample_length_s ?? 300}
              onChange={(v) => setLengthS(Number(v) || 1)}
            />
            <Select
              label="Category"
              data={["training", "testing", "anomaly"]}
              value={category}
              onChange={(v) => v && setCategory(v)}
              allowDeselect={false}
            />
          </Group>
          <Text size="xs" c="dimmed">
            Frequency: {chosen?.frequencies[0] ?? "device default"} Hz
          </Text>
          <Group>
            <Button type="submit" loading={start.isPending} disabled={!label.trim()}>
              Start sampling
            </Button>
          </Group>
          {start.isError && <Alert color="red">{errorText(start.error)}</Alert>}
          {progress && (
            <div>
              <Text size="sm" data-testid="sampling-stage">
                {STAGE_TEXT[progress.stage] ?? progress.stage}
                {progress.error ? `: ${progress.error}` : "…"}
              </Text>
              <Progress value={progress.pct} aria-label="Sampling progress" animated={progress.stage !== "finished"} />
            </div>
          )}
        </Stack>
      </form>
    </Card>
  );
}

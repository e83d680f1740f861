import { Alert, Badge, Button, Card, Group, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText } from "../../client/api";
import { useLiveSession } from "../../hooks/useLiveSession";
import type { ProjectInfo } from "../../hooks/useProject";
import { LiveResults } from "./LiveResults";
import { SaveLiveSample } from "./SaveLiveSample";

/** Live classification: a connected device streams, each window's result appears as it arrives. */
export function LivePanel({ project, impulseId }: { project: ProjectInfo; impulseId: number }) {
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [sensor, setSensor] = useState<string | null>(null);
  const devices = useQuery({
    queryKey: ["devices", project.id],
    queryFn: () =>
      call(api.GET("/api/projects/{project_id}/devices", { params: { path: { project_id: project.id } } })),
  });
  const connected = (devices.data ?? []).filter((d) => d.connected);
  const device = connected.find((d) => d.device_id === deviceId) ?? null;
  const sensors = device?.sensors ?? [];
  const live = useLiveSession(project.id, device?.device_id ?? null);
  const path = { project_id: project.id, device_id: deviceId ?? "" };
  const start = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/devices/{device_id}/live", {
          params: { path },
          body: { impulse_id: impulseId, sensor, variant: "int8", threshold: 0.6 },
        }),
      ),
  });
  const stop = useMutation({
    mutationFn: () =>
      call(api.POST("/api/projects/{project_id}/devices/{device_id}/live/stop", { params: { path }, body: {} })),
  });
  const running = live.session && !live.ended;
  return (
    <Stack>
      <Card withBorder>
        <Group align="flex-end">
          <Select
            label="Device"
            placeholder={connected.length ? "pick a connected device" : "no device is connected"}
            data={connected.map((d) => ({
              value: d.device_id,
              label: `${d.name} (${d.device_type})${d.sensors.some((s) => s.live_stream) ? "" : " – one short sample at a time"}`,
            }))}
            value={deviceId}
            onChange={(v) => {
              setDeviceId(v);
              setSensor(null);
            }}
            style={{ flex: 1 }}
          />
          <Select
            label="Sensor"
            placeholder={sensors.length ? "the first that streams" : "no sensors"}
            data={sensors.map((s) => ({ value: s.name, label: s.live_stream ? `${s.name} (streams)` : s.name }))}
            value={sensor}
            onChange={setSensor}
            disabled={!sensors.length}
            w={220}
          />
          {running ? (
            <Button color="red" onClick={() => stop.mutate()} loading={stop.isPending} disabled={!project.canEdit}>
              Stop
            </Button>
          ) : (
            <Button
              onClick={() => start.mutate()}
              loading={start.isPending}
              disabled={!device || !sensors.length || !project.canEdit}
            >
              Start
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          The phone page (Devices → Connect a phone) streams its accelerometer or microphone; a board on remote
          management records one short sample after another. Nothing is stored unless you save it.
        </Text>
        {live.session?.mode === "sampling" && !live.ended && (
          <Alert color="blue" mt="sm">
            This device cannot stream, so it is asked for one short recording after another (
            {live.session.window_ms + live.session.stride_ms} ms each). Results come in bursts; the recordings are not
            stored.
          </Alert>
        )}
        {(start.isError || stop.isError) && (
          <Alert color="red" mt="sm">
            {errorText(start.error ?? stop.error)}
          </Alert>
        )}
        {live.problem && (
          <Alert color="red" mt="sm" title="A window could not be classified">
            {live.problem}
          </Alert>
        )}
        {live.session && (
          <Group mt="sm" gap="xs" data-testid="live-state">
            <Badge color={running ? "teal" : "gray"} variant="dot">
              {running ? "live" : "ended"}
            </Badge>
            <Text size="sm">
              {running
                ? `${live.session.sensor} · ${live.session.window_ms} ms windows every ${live.session.stride_ms} ms · started by ${live.session.started_by}`
                : live.ended}
            </Text>
          </Group>
        )}
        {live.session && project.canEdit && (
          <Stack mt="sm" gap="xs">
            <SaveLiveSample projectId={project.id} deviceId={live.session.device_id} maxSeconds={live.session.keep_s} />
          </Stack>
        )}
      </Card>
      {live.session && <LiveResults session={live.session} results={live.results} />}
    </Stack>
  );
}

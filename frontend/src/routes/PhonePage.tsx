import {
  Alert,
  Badge,
  Button,
  Card,
  Container,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api, call, errorText } from "../client/api";
import { ClassifyOnPhone } from "../components/Phone/ClassifyOnPhone";
import { RecordingNow, type Recording } from "../components/Phone/RecordingNow";
import { Brand } from "../components/ui/Brand";
import { useLiveStreaming } from "../hooks/useLiveStreaming";
import {
  phoneDeviceId,
  RemoteManagement,
  websocketUrl,
  type ConnectionState,
  type SampleRequest,
} from "../lib/remoteManagement";
import { askMotionPermission, recordAudio, recordMotion } from "../lib/sensors";
import { uploadSample, type Category } from "../lib/upload";

type Sensor = "Accelerometer" | "Microphone";
const SENSORS = [
  { name: "Accelerometer", frequencies: [62.5], maxSampleLengthS: 300, liveStream: true },
  { name: "Microphone", frequencies: [16000], maxSampleLengthS: 60, liveStream: true },
];

/** The mobile page: a phone joins the project as a device and records labeled samples. */
export function PhonePage() {
  const [params] = useSearchParams();
  const apiKey = params.get("apiKey") ?? "";
  const [label, setLabel] = useState(params.get("label") ?? "idle");
  const [category, setCategory] = useState<Category>((params.get("category") as Category) ?? "training");
  const [lengthS, setLengthS] = useState<number>(Number(params.get("sampleLength") ?? 10000) / 1000 || 10);
  const [sensor, setSensor] = useState<Sensor>("Accelerometer");
  const [state, setState] = useState<ConnectionState>("connecting");
  const [stateDetail, setStateDetail] = useState("");
  const [busy, setBusy] = useState<{ stage: string; fraction: number; what: Recording } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [count, setCount] = useState(0);
  const rm = useRef<RemoteManagement | null>(null);
  const [deviceId] = useState(phoneDeviceId); // fixed for the page's life
  const { streaming, needsTap, resume, handlers: liveHandlers } = useLiveStreaming();

  const config = useQuery({
    queryKey: ["device-key", apiKey],
    enabled: !!apiKey,
    retry: false,
    queryFn: () => call(api.GET("/api/device-key", { headers: { "x-api-key": apiKey } })),
  });

  const record = useCallback(
    async (req: Recording & { hmacKey: string }) => {
      setMessage(null);
      const tell = (m: Record<string, unknown>) => rm.current?.send(m);
      const what: Recording = {
        label: req.label,
        lengthMs: req.lengthMs,
        sensor: req.sensor,
        fromStudio: req.fromStudio,
        path: req.path,
      };
      try {
        tell({ sampleStarted: true });
        setBusy({ stage: "Recording", fraction: 0, what });
        const onProgress = (f: number) => {
          setBusy({ stage: "Recording", fraction: f, what });
          tell({ sampleReading: true, progressPercentage: Math.round(f * 100) });
        };
        const payload =
          req.sensor === "Microphone"
            ? await recordAudio(req.lengthMs, deviceId, onProgress)
            : await recordMotion(req.lengthMs, deviceId, onProgress);
        setBusy({ stage: "Uploading", fraction: 1, what });
        tell({ sampleUploading: true });
        const name = await uploadSample({ path: req.path, apiKey, hmacKey: req.hmacKey, label: req.label, payload });
        tell({ sampleFinished: true });
        setCount((c) => c + 1);
        setMessage({ ok: true, text: `Uploaded ${name.trim() || req.label}` });
      } catch (err) {
        tell({ sampleFinished: false, error: errorText(err) });
        setMessage({ ok: false, text: errorText(err) });
      } finally {
        setBusy(null);
      }
    },
    [apiKey, deviceId],
  );

  useEffect(() => {
    if (!config.data) return;
    const client = new RemoteManagement(
      websocketUrl(config.data.remote_management_path),
      {
        version: 3,
        apiKey,
        deviceId,
        deviceType: "MOBILE_CLIENT",
        connection: "ip",
        sensors: SENSORS,
        supportsSnapshotStreaming: false,
      },
      {
        onState: (s, detail) => {
          setState(s);
          setStateDetail(detail ?? "");
        },
        onSampleRequest: (req: SampleRequest) => {
          client.send({ sample: true });
          record({
            label: req.label,
            lengthMs: req.length,
            sensor: req.sensor,
            path: req.path,
            hmacKey: req.hmacKey,
            fromStudio: true,
          });
        },
        ...liveHandlers((m) => client.send(m)),
      },
    );
    rm.current = client;
    client.start();
    return () => client.stop();
  }, [config.data, apiKey, deviceId, record, liveHandlers]);

  if (!apiKey) {
    return (
      <Container size="xs" py="xl">
        <Alert color="red" title="This link has no API key">
          Open the link or scan the QR code from the studio's Devices page ('Connect a phone').
        </Alert>
      </Container>
    );
  }
  const own = () =>
    config.data &&
    record({
      label,
      lengthMs: lengthS * 1000,
      sensor,
      path: `/api/${category}/data`,
      hmacKey: config.data.hmac_key,
      fromStudio: false,
    });
  return (
    <Container size="xs" py="md" px="sm">
      <Stack>
        <Group justify="space-between">
          <Brand />
          <Badge
            color={state === "connected" ? "teal" : state === "refused" ? "red" : "gray"}
            variant="dot"
            data-testid="phone-state"
          >
            {state}
          </Badge>
        </Group>
        {config.isError && (
          <Alert color="red" title="Cannot join the project">
            {errorText(config.error)}
          </Alert>
        )}
        {state === "refused" && (
          <Alert color="red" title="The server refused this phone">
            {stateDetail}
          </Alert>
        )}
        {config.data && (
          <Card withBorder>
            <Text size="sm" c="dimmed">
              Connected to
            </Text>
            <Title order={3}>{config.data.project_name}</Title>
            <Text size="xs" c="dimmed">
              as device {deviceId} · {count} sample{count === 1 ? "" : "s"} sent
            </Text>
          </Card>
        )}
        {busy && <RecordingNow stage={busy.stage} fraction={busy.fraction} what={busy.what} />}
        {streaming && (
          <Alert color="teal" title="Live classification" data-testid="phone-streaming">
            Streaming the {streaming.sensor.toLowerCase()} to the studio. Nothing is stored unless the studio saves it.
            {needsTap && (
              <Button mt="sm" fullWidth onClick={resume}>
                Tap to start the microphone
              </Button>
            )}
          </Alert>
        )}
        <Card withBorder>
          <Stack>
            <SegmentedControl
              fullWidth
              value={sensor}
              onChange={(v) => setSensor(v as Sensor)}
              aria-label="Sensor"
              data={[
                { value: "Accelerometer", label: "Accelerometer" },
                { value: "Microphone", label: "Microphone" },
              ]}
            />
            <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required />
            <Group grow>
              <NumberInput
                label="Length (seconds)"
                value={lengthS}
                min={1}
                max={sensor === "Microphone" ? 60 : 300}
                onChange={(v) => setLengthS(Number(v) || 1)}
              />
              <Select
                label="Category"
                value={category}
                allowDeselect={false}
                onChange={(v) => v && setCategory(v as Category)}
                data={[
                  { value: "training", label: "Training" },
                  { value: "testing", label: "Testing" },
                  { value: "split", label: "Split 80/20" },
                ]}
              />
            </Group>
            <Text size="xs" c="dimmed">
              {sensor === "Accelerometer" ? "62.5 Hz, 3 axes (m/s²)" : "16 kHz mono"}
            </Text>
            <Button
              variant="light"
              onClick={() =>
                askMotionPermission().then((ok) =>
                  setMessage(
                    ok
                      ? { ok: true, text: "Motion sensors allowed" }
                      : { ok: false, text: "Motion sensors were not allowed" },
                  ),
                )
              }
            >
              Allow motion sensors
            </Button>
            <Button size="lg" onClick={own} disabled={!config.data || !!busy || !label.trim()}>
              Start recording
            </Button>
            {message && (
              <Alert color={message.ok ? "teal" : "red"} role="status" data-testid="phone-message">
                {message.text}
              </Alert>
            )}
          </Stack>
        </Card>
        {config.data && <ClassifyOnPhone apiKey={apiKey} />}
        <Text size="xs" c="dimmed" ta="center">
          Keep this page open: the studio can also ask this phone to record.
        </Text>
      </Stack>
    </Container>
  );
}

import { Alert, Badge, Button, Card, Code, Group, Progress, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { errorText } from "../../client/api";
import { microphoneWindows, motionWindows, type Stop } from "../../lib/liveWindows";
import { loadPhoneBuild, type PhoneBuild } from "../../lib/phoneBuild";
import { askMotionPermission } from "../../lib/sensors";
import { loadImpulse, type ImpulseInfo, type ImpulseResult } from "../../lib/wasmImpulse";

type Running = { build: PhoneBuild; info: ImpulseInfo; fromCache: boolean; cached: boolean };
type Last = { window: Float32Array; result: ImpulseResult };

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

/** "Classify on this phone": downloads the project's WebAssembly build (the board library's C,
 * compiled for the browser), keeps it for offline use and runs it on the live sensor. */
export function ClassifyOnPhone({ apiKey }: { apiKey: string }) {
  const [loading, setLoading] = useState<{ stage: string; fraction: number } | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const [filled, setFilled] = useState(0);
  const [last, setLast] = useState<Last | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stop = useRef<Stop | null>(null);

  useEffect(() => () => stop.current?.(), []);

  const start = async () => {
    setError(null);
    setLast(null);
    setFilled(0);
    const motionAllowed = askMotionPermission(); // iOS asks from this tap, before anything async
    setLoading({ stage: "Starting", fraction: 0 });
    try {
      const loaded = await loadPhoneBuild(apiKey, (stage, fraction) => setLoading({ stage, fraction }));
      const impulse = await loadImpulse(loaded.module);
      const { info } = impulse;
      const onWindow = (window: Float32Array | null, fraction: number) => {
        setFilled(fraction);
        if (window) setLast({ window, result: impulse.classify(window) });
      };
      if (info.sensor === "microphone") stop.current = await microphoneWindows(info, onWindow);
      else {
        await motionAllowed;
        stop.current = motionWindows(info, onWindow);
      }
      setRunning({ build: loaded.build, info, fromCache: loaded.fromCache, cached: loaded.cached });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoading(null);
    }
  };
  const halt = () => {
    stop.current?.();
    stop.current = null;
    setRunning(null);
  };

  const result = last?.result;
  const ranked = result ? Object.entries(result.scores).sort((a, b) => b[1] - a[1]) : [];
  return (
    <Card withBorder data-testid="classify-on-phone">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>Classify on this phone</Title>
          {running && <Badge color="teal">running here</Badge>}
        </Group>
        <Text size="sm" c="dimmed">
          Runs the project's impulse on this phone's own sensor, with the same C code as the board, compiled to
          WebAssembly. Once loaded it works without a connection.
        </Text>
        {!running ? (
          <Button onClick={start} loading={!!loading} variant="light">
            Classify on this phone
          </Button>
        ) : (
          <Button onClick={halt} color="gray" variant="light">
            Stop classifying
          </Button>
        )}
        {loading && (
          <Stack gap={4}>
            <Text size="sm">{loading.stage}…</Text>
            <Progress value={loading.fraction * 100} aria-label="Preparing the model" />
          </Stack>
        )}
        {error && (
          <Alert color="red" title="Cannot classify on this phone" role="alert">
            {error}
          </Alert>
        )}
        {running && !result && (
          <Stack gap={4}>
            <Text size="sm">
              Listening to the {running.info.sensor}: the first window fills in {running.info.window_ms / 1000} s…
            </Text>
            <Progress value={filled * 100} aria-label="First window" />
          </Stack>
        )}
        {running && result && (
          <Stack gap={6} aria-live="polite" data-testid="phone-prediction">
            <Title order={2} aria-label="Prediction">
              {ranked[0]?.[0] ?? "–"}
            </Title>
            {ranked.map(([label, score]) => (
              <Group key={label} gap="xs" wrap="nowrap">
                <Text size="sm" w={90} truncate>
                  {label}
                </Text>
                <Progress value={score * 100} style={{ flex: 1 }} aria-label={`Score of ${label}`} />
                <Text size="sm" w={52} ta="right">
                  {pct(score)}
                </Text>
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              {running.info.has_anomaly ? `Anomaly ${result.anomaly.toFixed(3)} · ` : ""}
              DSP {ms(result.timing.dsp_us)} · network {ms(result.timing.classification_us)} on this phone
            </Text>
          </Stack>
        )}
        {running && <BuildLine {...running} />}
        {last && (
          <details data-testid="phone-last-window">
            <summary>
              <Text span size="xs">
                The numbers of the last window
              </Text>
            </summary>
            <Code block fz={10} style={{ maxHeight: 160, overflow: "auto" }}>
              {JSON.stringify({
                values: Array.from(last.window),
                scores: Array.from(last.result.raw),
                anomaly: last.result.anomaly,
              })}
            </Code>
          </details>
        )}
      </Stack>
    </Card>
  );
}

/** Which build runs here: the same module and C sources as the deployment page shows. */
function BuildLine({ build, fromCache, cached }: Running) {
  return (
    <Text size="xs" c="dimmed" data-testid="phone-build-line" style={{ wordBreak: "break-all" }}>
      Build {build.build_number} (deployment {build.deployment_id}) · module sha256 {build.module_sha256} · C sources
      sha256 {build.sources_sha256} — the C the board libraries ship, compiled for this phone.{" "}
      {fromCache
        ? "Loaded from this phone's copy (offline)."
        : cached
          ? "Kept on this phone for offline use."
          : "Not kept offline: this connection is not secure (HTTPS)."}
    </Text>
  );
}

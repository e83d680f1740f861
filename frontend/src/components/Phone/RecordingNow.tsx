import { Badge, Card, Group, Progress, Stack, Text, Title } from "@mantine/core";

/** What is being recorded, shown while it runs (the studio may have asked for it). */
export type Recording = { label: string; lengthMs: number; sensor: string; fromStudio: boolean; path: string };

/** "training", "testing" or "anomaly", from the upload path the sample goes to (/api/<category>/data). */
const categoryOf = (path: string) => path.match(/^\/api\/([a-z]+)\/data/)?.[1] ?? null;

/** On the phone, while it records: which label, how long and which sensor, and who asked. */
export function RecordingNow({ stage, fraction, what }: { stage: string; fraction: number; what: Recording }) {
  const seconds = what.lengthMs / 1000;
  return (
    <Card withBorder shadow="sm" bg="teal.0" data-testid="phone-recording" aria-live="polite">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            {stage}…
          </Text>
          {what.fromStudio && <Badge variant="light">asked by the studio</Badge>}
        </Group>
        <Title order={3} aria-label="Recording label">
          {what.label || "unlabeled"}
        </Title>
        <Text size="sm">
          {[`${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`, what.sensor, categoryOf(what.path)]
            .filter(Boolean)
            .join(" · ")}
        </Text>
        <Progress value={fraction * 100} aria-label="Recording progress" />
      </Stack>
    </Card>
  );
}

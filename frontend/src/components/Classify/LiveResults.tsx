import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import type { LiveResult, LiveSession } from "../../hooks/useLiveSession";
import { EChart } from "../Charts/EChart";
import { liveTimelineOption } from "./liveTimelineOption";

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
}

/** The timeline, the latest window's scores, and how long a reading takes to reach this screen. */
export function LiveResults({ session, results }: { session: LiveSession; results: LiveResult[] }) {
  // When each result reached the screen (after the browser painted it), by window index.
  const [shown, setShown] = useState<Record<number, number>>({});
  const latest = results[results.length - 1];
  useEffect(() => {
    const fresh = results.filter((r) => !shown[r.index]).map((r) => r.index);
    if (!fresh.length) return;
    const frame = requestAnimationFrame(() => {
      const now = Date.now();
      setShown((s) => ({ ...s, ...Object.fromEntries(fresh.map((i) => [i, now])) }));
    });
    return () => cancelAnimationFrame(frame);
  }, [results, shown]);

  const labels = useMemo(() => Object.keys(results.find((r) => r.classification)?.classification ?? {}), [results]);
  const option = useMemo(
    () =>
      liveTimelineOption(
        labels,
        results.map((r) => ({ ...r, t: (r.window_start_ms + session.window_ms) / 1000 })),
      ),
    [labels, results, session.window_ms],
  );
  const latencies = results
    .filter((r) => shown[r.index] && !r.replayed)
    .map((r) => shown[r.index] - r.reading_ts)
    .sort((a, b) => a - b);
  const recent = results.slice(-8).reverse();
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">
            Scores over time
          </Title>
          <Text size="sm" data-testid="live-latency">
            {latencies.length
              ? `Reading to screen: ${Math.round(percentile(latencies, 0.5))} ms typical, ${Math.round(percentile(latencies, 0.95))} ms slowest 5 %`
              : "Reading to screen: waiting for the first window"}
          </Text>
        </Group>
        <EChart
          option={option}
          height={300}
          label="Scores per label, anomaly score and result of each window over time"
        />
        {latest && latest.skipped > 0 && (
          <Text size="xs" c="dimmed">
            {latest.skipped} window{latest.skipped === 1 ? " was" : "s were"} skipped because the classifier was busy.
          </Text>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              Latest window
            </Title>
            {latest?.prediction && (
              <Badge size="lg" data-testid="live-prediction">
                {latest.prediction}
              </Badge>
            )}
          </Group>
          <Table aria-label="Scores of the latest window" fz="sm">
            <Table.Tbody>
              {labels.map((l) => (
                <Table.Tr key={l}>
                  <Table.Th>{l}</Table.Th>
                  <Table.Td>{latest?.classification?.[l]?.toFixed(2) ?? "–"}</Table.Td>
                </Table.Tr>
              ))}
              {latest?.anomaly != null && (
                <Table.Tr>
                  <Table.Th>anomaly</Table.Th>
                  <Table.Td>{latest.anomaly.toFixed(2)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Recent windows
          </Title>
          <Table aria-label="Recent windows" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Window ends</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Reading to screen</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.map((r) => (
                <Table.Tr
                  key={r.index}
                  data-testid="live-window"
                  data-index={r.index}
                  data-prediction={r.prediction ?? ""}
                  data-reading-ts={r.reading_ts}
                  data-shown-ts={shown[r.index] ?? ""}
                >
                  <Table.Td>{((r.window_start_ms + session.window_ms) / 1000).toFixed(1)} s</Table.Td>
                  <Table.Td>{r.prediction ?? r.value?.toFixed(3) ?? "–"}</Table.Td>
                  <Table.Td>{shown[r.index] ? `${Math.round(shown[r.index] - r.reading_ts)} ms` : "…"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

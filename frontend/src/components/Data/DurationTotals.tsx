import { Card, Progress, Stack, Table, Text, Title } from "@mantine/core";
import type { DatasetSummary } from "../../client/domain";

/** "1 h 02 min", "3 min 20 s", "12.5 s". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 9.95) return `${s.toFixed(1)} s`;
  if (s < 59.5) return `${Math.round(s)} s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  const seconds = Math.round(s);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

const COLORS: Record<string, string> = { training: "teal", testing: "blue", anomaly: "grape" };

/** How much data there is: total duration per category (a bar each) and per label. */
export function DurationTotals({ summary }: { summary: DatasetSummary }) {
  const cats = summary.per_category ?? [];
  const longest = Math.max(1, ...cats.map((c) => c.total_length_ms));
  const labels = [...new Set(summary.per_label.map((r) => r.label))].sort();
  const ms = (label: string, category: string) =>
    summary.per_label
      .filter((r) => r.label === label && r.category === category)
      .reduce((a, r) => a + r.total_length_ms, 0);
  const shown = cats.map((c) => c.category);
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={3} size="h4">
          Duration
        </Title>
        <Text size="sm">{formatDuration(summary.total_length_ms ?? 0)} in all</Text>
        {cats.map((c) => (
          <div key={c.category}>
            <Text size="xs">
              {c.category}: {formatDuration(c.total_length_ms)} ({c.count} sample{c.count === 1 ? "" : "s"})
            </Text>
            <Progress
              value={(c.total_length_ms / longest) * 100}
              color={COLORS[c.category] ?? "gray"}
              aria-label={`${c.category}: ${formatDuration(c.total_length_ms)}`}
            />
          </div>
        ))}
        {labels.length > 0 && (
          <Table aria-label="Duration per label">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                {shown.map((c) => (
                  <Table.Th key={c}>{c}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {labels.map((l) => (
                <Table.Tr key={l}>
                  <Table.Td>{l || <i>unlabeled</i>}</Table.Td>
                  {shown.map((c) => (
                    <Table.Td key={c}>{formatDuration(ms(l, c))}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

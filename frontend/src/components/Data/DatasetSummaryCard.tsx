import { Alert, Card, Group, Progress, Stack, Table, Text, Title } from "@mantine/core";
import type { DatasetSummary } from "../../client/domain";

/** Per-label counts and the train/test balance (aim for about 80/20). */
export function DatasetSummaryCard({ summary }: { summary: DatasetSummary }) {
  const labels = [...new Set(summary.per_label.map((r) => r.label))].sort();
  const count = (label: string, category: string) =>
    summary.per_label.filter((r) => r.label === label && r.category === category).reduce((a, r) => a + r.count, 0);
  const train = summary.per_label.filter((r) => r.category === "training").reduce((a, r) => a + r.count, 0);
  const test = summary.per_label.filter((r) => r.category === "testing").reduce((a, r) => a + r.count, 0);
  const trainPct = train + test ? Math.round((train / (train + test)) * 100) : 0;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Dataset
          </Title>
          <Text size="sm" c="dimmed">
            {summary.total} sample{summary.total === 1 ? "" : "s"}
          </Text>
        </Group>
        <Text size="sm">
          Train / test split: {trainPct}% / {100 - trainPct}%
        </Text>
        <Progress.Root size="lg" role="group" aria-label="Train/test balance">
          <Progress.Section value={trainPct} color="teal" aria-label={`${trainPct}% training`}>
            <Progress.Label>train</Progress.Label>
          </Progress.Section>
          <Progress.Section value={100 - trainPct} color="blue" aria-label={`${100 - trainPct}% testing`}>
            <Progress.Label>test</Progress.Label>
          </Progress.Section>
        </Progress.Root>
        {labels.length > 0 && (
          <Table aria-label="Samples per label">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                <Table.Th>Training</Table.Th>
                <Table.Th>Testing</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {labels.map((l) => (
                <Table.Tr key={l}>
                  <Table.Td>{l || <i>unlabeled</i>}</Table.Td>
                  <Table.Td>{count(l, "training")}</Table.Td>
                  <Table.Td>{count(l, "testing")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {summary.warnings.map((w) => (
          <Alert key={w} color="yellow" p="xs">
            {w}
          </Alert>
        ))}
      </Stack>
    </Card>
  );
}

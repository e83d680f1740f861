import { Badge, Card, Group, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { ConfusionMatrix } from "../Charts/ConfusionMatrix";

type Metrics = {
  accuracy?: number;
  loss?: number;
  weighted_f1?: number;
  confusion_matrix?: number[][] | { labels: string[]; columns: string[]; matrix: number[][] };
  per_class?: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  size?: number;
};

const pct = (x?: number) => (x === undefined ? "–" : `${(x * 100).toFixed(1)}%`);

/** Accuracy, per-class F1 and the confusion matrix of one model variant (float32 or int8) or a test run. */
type Estimate = { device?: string; total?: { latency_ms: number; flash_bytes: number; ram_bytes?: number } };
const kb = (b?: number) => (b === undefined ? "–" : `${(b / 1024).toFixed(1)} KB`);

export function ModelMetrics({
  title,
  metrics,
  labels,
  estimate,
}: {
  title: string;
  metrics: Metrics;
  labels: string[];
  estimate?: Estimate;
}) {
  const cm = metrics.confusion_matrix;
  const matrix = Array.isArray(cm) ? { labels, columns: labels, matrix: cm } : cm;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {metrics.size !== undefined && <Badge variant="light">{(metrics.size / 1024).toFixed(1)} KB model</Badge>}
      </Group>
      <SimpleGrid cols={3} mb="sm">
        <div>
          <Text size="xs" c="dimmed">
            Accuracy
          </Text>
          <Text fw={700} size="xl" data-testid={`${title}-accuracy`}>
            {pct(metrics.accuracy)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Weighted F1
          </Text>
          <Text fw={700} size="xl">
            {metrics.weighted_f1?.toFixed(2) ?? "–"}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Loss
          </Text>
          <Text fw={700} size="xl">
            {metrics.loss?.toFixed(3) ?? "–"}
          </Text>
        </div>
      </SimpleGrid>
      {estimate?.total && (
        <Text size="sm" mb="sm" data-testid={`${title}-estimate`}>
          On {estimate.device ?? "the device"}: <b>{estimate.total.latency_ms.toFixed(2)} ms</b> per window,{" "}
          <b>{kb(estimate.total.flash_bytes)}</b> flash, <b>{kb(estimate.total.ram_bytes)}</b> RAM (estimated)
        </Text>
      )}
      {matrix && <ConfusionMatrix labels={matrix.labels} columns={matrix.columns} matrix={matrix.matrix} />}
      {metrics.per_class && <PerLabelTable label={`${title} per-class scores`} rows={metrics.per_class} />}
    </Card>
  );
}

type LabelScores = { precision: number; recall: number; f1: number; support: number };

/** Precision, recall, F1 and window count per label (training metrics and test summaries). */
export function PerLabelTable({ label, rows }: { label: string; rows: Record<string, LabelScores> }) {
  return (
    <Table mt="sm" aria-label={label} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Label</Table.Th>
          <Table.Th>Precision</Table.Th>
          <Table.Th>Recall</Table.Th>
          <Table.Th>F1</Table.Th>
          <Table.Th>Windows</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {Object.entries(rows).map(([name, c]) => (
          <Table.Tr key={name} data-testid="class-row" data-label={name}>
            <Table.Td>{name}</Table.Td>
            <Table.Td data-value={c.precision}>{pct(c.precision)}</Table.Td>
            <Table.Td data-value={c.recall}>{pct(c.recall)}</Table.Td>
            <Table.Td data-value={c.f1}>{c.f1.toFixed(2)}</Table.Td>
            <Table.Td data-value={c.support}>{c.support}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

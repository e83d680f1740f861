import { Card, SimpleGrid, Text, Title } from "@mantine/core";
import type { TestSummary } from "../../lib/testMetrics";
import { ConfusionMatrix } from "../Charts/ConfusionMatrix";
import { PerLabelTable } from "../Training/ModelMetrics";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function Figure({ name, label, value, text }: { name: string; label: string; value: number; text: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={`summary-${name}`} data-value={value}>
        {text}
      </Text>
    </div>
  );
}

/** Accuracy, uncertain (and anomalous) share, confusion matrix and per-label scores of the windows. */
export function TestSummaryCard({ title, summary }: { title: string; summary: TestSummary }) {
  const m = summary.confusion_matrix;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: summary.anomalous === undefined ? 4 : 5 }} mb="sm">
        <Figure name="accuracy" label="Accuracy" value={summary.accuracy} text={pct(summary.accuracy)} />
        <Figure name="uncertain" label="Uncertain" value={summary.uncertain} text={pct(summary.uncertain)} />
        {summary.anomalous !== undefined && (
          <Figure name="anomalous" label="Anomalies" value={summary.anomalous} text={pct(summary.anomalous)} />
        )}
        <Figure
          name="weighted-f1"
          label="Weighted F1"
          value={summary.weighted_f1}
          text={summary.weighted_f1.toFixed(2)}
        />
        <Figure name="windows" label="Windows" value={summary.windows} text={String(summary.windows)} />
      </SimpleGrid>
      <ConfusionMatrix labels={m.labels} columns={m.columns} matrix={m.matrix} />
      <PerLabelTable label="Scores per label" rows={summary.per_class} />
    </Card>
  );
}

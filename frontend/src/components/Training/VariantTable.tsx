import { Card, Table, Text, Title } from "@mantine/core";
import type { JobResult } from "../../client/domain";
import type { VariantWarning } from "./VariantWarnings";

type Estimate = { device?: string; total?: { latency_ms: number; flash_bytes: number; ram_bytes?: number } };
export type TrainingResult = {
  metrics?: JobResult | null;
  estimates?: Record<string, Estimate> | null;
  warnings?: VariantWarning[];
};
export type TestResult = {
  variant?: string;
  variant_accuracy?: Record<string, number>;
  metrics?: { accuracy?: number };
  warnings?: VariantWarning[];
};

const VARIANTS = ["float32", "int8"] as const;
const pct = (x?: number) => (x === undefined || x === null ? "–" : `${(x * 100).toFixed(1)}%`);
const kb = (b?: number) => (b === undefined ? "–" : `${(b / 1024).toFixed(1)} KB`);

function testAccuracy(test: TestResult | null | undefined, variant: string): number | undefined {
  if (!test) return undefined;
  return test.variant_accuracy?.[variant] ?? (test.variant === variant ? test.metrics?.accuracy : undefined);
}

/** float32 beside int8: validation and test accuracy, and the on-device estimates of each. */
export function VariantTable({ training, test }: { training: TrainingResult; test?: TestResult | null }) {
  const rows: [string, (v: string) => string][] = [
    ["Validation accuracy", (v) => pct(training.metrics?.[v]?.accuracy)],
    ["Test accuracy", (v) => pct(testAccuracy(test, v))],
    [
      "Latency",
      (v) => {
        const e = training.estimates?.[v]?.total;
        return e ? `${e.latency_ms.toFixed(2)} ms` : "–";
      },
    ],
    ["RAM", (v) => kb(training.estimates?.[v]?.total?.ram_bytes)],
    ["Flash", (v) => kb(training.estimates?.[v]?.total?.flash_bytes)],
  ];
  const device = training.estimates?.int8?.device ?? training.estimates?.float32?.device;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        int8 or float32
      </Title>
      <Table aria-label="Model variants" fz="sm" mt="xs" data-testid="variant-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {VARIANTS.map((v) => (
              <Table.Th key={v}>{v}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([name, cell]) => (
            <Table.Tr key={name}>
              <Table.Td>{name}</Table.Td>
              {VARIANTS.map((v) => (
                <Table.Td key={v} data-testid={`${v}-${name}`}>
                  {cell(v)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {test
          ? "Test accuracy from the latest model test of this training."
          : "Test the model (Model testing) to see its test accuracy here."}
        {device && ` Latency, RAM and flash are estimates for ${device}.`}
      </Text>
    </Card>
  );
}

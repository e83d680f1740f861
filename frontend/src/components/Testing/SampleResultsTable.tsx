import { Badge, Button, Card, Group, SegmentedControl, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import type { SampleRow } from "../../lib/testMetrics";

const SHOWN = 500;

/** One row per test sample: its label, the label most of its windows got, and the share of windows right.
 * A row opens the sample with its windows drawn. */
export function SampleResultsTable({
  rows,
  names,
  relabeled,
  onOpen,
}: {
  rows: SampleRow[];
  names: Map<number, string>;
  relabeled: Map<number, string>;
  onOpen: (row: SampleRow) => void;
}) {
  const [which, setWhich] = useState("all");
  const wrong = rows.filter((r) => r.prediction !== r.label);
  const shown = which === "wrong" ? wrong : rows;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Results per sample
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Which samples"
          value={which}
          onChange={setWhich}
          data={[
            { value: "all", label: `All (${rows.length})` },
            { value: "wrong", label: `Wrong (${wrong.length})` },
          ]}
        />
      </Group>
      <Table.ScrollContainer minWidth={520}>
        <Table aria-label="Test results" fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sample</Table.Th>
              <Table.Th>Label</Table.Th>
              <Table.Th>Predicted</Table.Th>
              <Table.Th>Windows right</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.slice(0, SHOWN).map((r) => {
              const name = names.get(r.sampleId) ?? `Sample ${r.sampleId}`;
              return (
                <Table.Tr
                  key={r.sampleId}
                  data-testid="result-row"
                  data-sample-id={r.sampleId}
                  style={{ cursor: "pointer" }}
                  onClick={() => onOpen(r)}
                >
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => onOpen(r)} aria-label={`Open ${name}`}>
                      {name}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    {r.label}
                    {relabeled.has(r.sampleId) && (
                      <Badge ml={6} size="xs" variant="light" color="orange">
                        now {relabeled.get(r.sampleId) || "unlabeled"}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text span c={r.prediction === r.label ? "teal.9" : "red.9"} size="sm" fw={500}>
                      {r.prediction}
                    </Text>
                  </Table.Td>
                  <Table.Td data-value={r.correct / r.windows}>
                    {r.correct} of {r.windows} ({((100 * r.correct) / r.windows).toFixed(0)}%)
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown.length > SHOWN && (
        <Text size="xs" c="dimmed" mt="xs">
          The first {SHOWN} of {shown.length} samples.
        </Text>
      )}
    </Card>
  );
}

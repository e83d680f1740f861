import { Badge, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowRight } from "@tabler/icons-react";
import { better, figure, json, pct, type VersionDiff } from "./format";

type Change = VersionDiff["impulses"][number];
const BADGE = { added: "teal", removed: "red", changed: "orange", unchanged: "gray" } as const;

function Arrow({ before, after, good }: { before: string; after: string; good?: boolean | null }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c="dimmed">
        {before}
      </Text>
      <IconArrowRight size={14} aria-label="to" />
      <Text size="sm" fw={600} c={good === null || good === undefined ? undefined : good ? "teal.7" : "red.7"}>
        {after}
      </Text>
    </Group>
  );
}

/** One impulse: how it changed, its fields before → after, its figures before → after. */
export function ImpulseChangesView({ change }: { change: Change }) {
  return (
    <Card withBorder data-testid="impulse-change">
      <Group justify="space-between" mb="xs">
        <Title order={4} size="h5">
          {change.name}
        </Title>
        <Badge color={BADGE[change.change]} variant="light">
          {change.change}
        </Badge>
      </Group>
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm">Accuracy</Text>
          <Arrow
            before={pct(change.accuracy_before)}
            after={pct(change.accuracy_after)}
            good={better("accuracy", change.accuracy_before, change.accuracy_after)}
          />
        </Group>
        {change.fields.length > 0 && (
          <Table fz="xs" aria-label={`Fields of ${change.name} that changed`} withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Before → after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {change.fields.map((f) => (
                <Table.Tr key={f.path}>
                  <Table.Td ff="monospace">{f.path}</Table.Td>
                  <Table.Td>
                    <Arrow before={json(f.before)} after={json(f.after)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {change.fields_truncated && (
          <Text size="xs" c="dimmed">
            Only the first fields are listed.
          </Text>
        )}
        {change.figures.length > 0 && (
          <Table fz="xs" aria-label={`Figures of ${change.name}`} withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Metric or on-device figure</Table.Th>
                <Table.Th>Before → after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {change.figures.map((f) => (
                <Table.Tr key={f.path}>
                  <Table.Td ff="monospace">{f.path}</Table.Td>
                  <Table.Td>
                    <Arrow
                      before={figure(f.path, f.before)}
                      after={figure(f.path, f.after)}
                      good={better(f.path, f.before, f.after)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {change.change === "unchanged" && (
          <Text size="sm" c="dimmed">
            Same configuration and figures in both versions.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

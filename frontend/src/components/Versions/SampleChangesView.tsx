import { Accordion, Badge, Box, Group, Text } from "@mantine/core";
import type { VersionDiff } from "./format";

const KINDS: { key: keyof VersionDiff["samples"]; label: string; color: string }[] = [
  { key: "added", label: "Added", color: "teal" },
  { key: "removed", label: "Removed", color: "red" },
  { key: "relabeled", label: "Relabeled", color: "orange" },
  { key: "moved", label: "Moved (training / testing / anomaly)", color: "blue" },
  { key: "enabled_changed", label: "Enabled or disabled", color: "grape" },
  { key: "values_changed", label: "Values changed (cropped)", color: "yellow" },
];

/** Sample changes as bars (counts) that open to the ids they concern. */
export function SampleChangesView({ samples }: { samples: VersionDiff["samples"] }) {
  const max = Math.max(1, ...KINDS.map((k) => samples[k.key].count));
  return (
    <Accordion multiple variant="separated" aria-label="Sample changes">
      {KINDS.map(({ key, label, color }) => {
        const change = samples[key];
        return (
          <Accordion.Item key={key} value={key} data-testid={`samples-${key}`}>
            <Accordion.Control disabled={change.count === 0}>
              <Group wrap="nowrap" gap="sm">
                <Text size="sm" w={250}>
                  {label}
                </Text>
                <Box
                  h={10}
                  w={`${Math.max(change.count ? 4 : 0, (change.count / max) * 260)}px`}
                  bg={`${color}.5`}
                  style={{ borderRadius: 4 }}
                  aria-hidden
                />
                <Badge color={color} variant="light" data-testid={`count-${key}`}>
                  {change.count}
                </Badge>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Group gap={4}>
                {change.ids.map((id) => (
                  <Badge key={id} variant="outline" color="gray" size="sm">
                    #{id}
                  </Badge>
                ))}
                {change.count > change.ids.length && (
                  <Text size="xs" c="dimmed">
                    and {change.count - change.ids.length} more
                  </Text>
                )}
              </Group>
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}

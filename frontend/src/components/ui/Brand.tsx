import { Group, Text, ThemeIcon } from "@mantine/core";
import { IconCpu } from "@tabler/icons-react";

export function Brand() {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon radius="md" size="lg" variant="gradient" gradient={{ from: "teal", to: "cyan" }}>
        <IconCpu size={20} />
      </ThemeIcon>
      <Text fw={700} size="lg">
        TinyForge
      </Text>
    </Group>
  );
}

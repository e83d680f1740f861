import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { IconCopyPlus } from "@tabler/icons-react";
import { kb, ms, pct, type VersionSummary } from "./format";
import { PublicLinkControl } from "./PublicLinkControl";

/** Every version with its headline figures; per row: restore into a new project, public link. */
export function VersionTable({
  projectId,
  versions,
  canEdit,
  onRestore,
  restoring,
}: {
  projectId: number;
  versions: VersionSummary[];
  canEdit: boolean;
  onRestore: (v: VersionSummary) => void;
  restoring: number | null;
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Versions" fz="sm" verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={240}>Version</Table.Th>
            <Table.Th>Samples</Table.Th>
            <Table.Th>Impulse</Table.Th>
            <Table.Th>Accuracy int8 / float32</Table.Th>
            <Table.Th>RAM</Table.Th>
            <Table.Th>Flash</Table.Th>
            <Table.Th>Latency</Table.Th>
            <Table.Th>Public link</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.id} data-testid="version-row">
              <Table.Td>
                <Group gap={8} wrap="nowrap" align="flex-start">
                  <Badge variant="filled" style={{ flexShrink: 0 }} tt="none">
                    {v.name}
                  </Badge>
                  <Stack gap={2}>
                    <Text size="sm" fw={500} lineClamp={2}>
                      {v.description || (
                        <Text span c="dimmed">
                          (no description)
                        </Text>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {v.created_by} · {new Date(v.created_at).toLocaleString()}
                    </Text>
                    {canEdit && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        px={0}
                        w="fit-content"
                        leftSection={<IconCopyPlus size={14} />}
                        loading={restoring === v.id}
                        onClick={() => onRestore(v)}
                      >
                        Restore into a new project
                      </Button>
                    )}
                  </Stack>
                </Group>
              </Table.Td>
              <Table.Td>{v.samples}</Table.Td>
              <Table.Td colSpan={v.impulses.length ? 1 : 5}>
                {v.impulses.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    no impulse
                  </Text>
                ) : (
                  v.impulses.map((h) => (
                    <Text key={h.impulse_id} size="sm">
                      {h.name}{" "}
                      <Text span c="dimmed" size="xs">
                        v{h.version}
                      </Text>
                    </Text>
                  ))
                )}
              </Table.Td>
              {v.impulses.length > 0 && (
                <>
                  <Table.Td>
                    {v.impulses.map((h) => (
                      <Text key={h.impulse_id} size="sm">
                        {pct(h.accuracy_int8 ?? h.accuracy)} / {pct(h.accuracy_float32)}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {v.impulses.map((h) => (
                      <Text key={h.impulse_id} size="sm">
                        {kb(h.ram_bytes)}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {v.impulses.map((h) => (
                      <Text key={h.impulse_id} size="sm">
                        {kb(h.flash_bytes)}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {v.impulses.map((h) => (
                      <Text key={h.impulse_id} size="sm">
                        {ms(h.latency_ms)}
                      </Text>
                    ))}
                  </Table.Td>
                </>
              )}
              <Table.Td>
                <PublicLinkControl projectId={projectId} version={v} canEdit={canEdit} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

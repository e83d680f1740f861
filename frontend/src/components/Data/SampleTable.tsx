import { Badge, Button, Checkbox, Table, Text, VisuallyHidden } from "@mantine/core";
import type { Schemas } from "../../client/api";
import { SampleRowMenu } from "./SampleRowMenu";
import { Sparkline } from "./Sparkline";

type Sample = Schemas["SampleListItem"];

/** One page of samples: select, open, a thumbnail each, and each row's own actions. */
export function SampleTable({
  projectId,
  items,
  selected,
  onSelect,
  onOpen,
  canEdit,
}: {
  projectId: number;
  items: Sample[];
  selected: number[];
  onSelect: (ids: number[]) => void;
  onOpen: (id: number) => void;
  canEdit: boolean;
}) {
  const toggle = (id: number) => onSelect(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover aria-label="Samples">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={32}>
              <Checkbox
                aria-label="Select all"
                checked={items.length > 0 && items.every((s) => selected.includes(s.id))}
                onChange={(e) => onSelect(e.currentTarget.checked ? items.map((s) => s.id) : [])}
              />
            </Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>Length</Table.Th>
            <Table.Th>Signal</Table.Th>
            <Table.Th>Added</Table.Th>
            {canEdit && (
              <Table.Th w={40}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.id} data-testid="sample-row" style={s.enabled ? undefined : { opacity: 0.6 }}>
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${s.name}`}
                  checked={selected.includes(s.id)}
                  onChange={() => toggle(s.id)}
                />
              </Table.Td>
              <Table.Td>
                <Button variant="subtle" size="compact-sm" onClick={() => onOpen(s.id)}>
                  {s.name}
                </Button>
                {!s.enabled && (
                  <Badge size="xs" color="gray" variant="outline" ml={4}>
                    disabled
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {s.label || (
                  <Text span c="dimmed" size="sm">
                    unlabeled
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{s.category}</Table.Td>
              <Table.Td>{(s.length_ms / 1000).toFixed(1)} s</Table.Td>
              <Table.Td>
                {s.sparkline && (
                  <Sparkline
                    width={72}
                    shape={s.sparkline}
                    label={`Signal of ${s.sensors[0]?.name ?? "the first axis"}`}
                  />
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {new Date(s.created_at).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}
                </Text>
              </Table.Td>
              {canEdit && (
                <Table.Td>
                  <SampleRowMenu projectId={projectId} sample={s} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

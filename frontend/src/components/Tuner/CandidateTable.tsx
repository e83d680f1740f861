import { Badge, Button, Table, Text } from "@mantine/core";
import type { Candidate } from "./pareto";

const COLORS: Record<string, string> = {
  queued: "gray",
  running: "blue",
  done: "teal",
  pruned: "yellow",
  failed: "red",
  cancelled: "gray",
};
const pct = (v: number | null | undefined) => (v == null ? "–" : `${(v * 100).toFixed(1)} %`);
const kb = (v: number | null | undefined) => (v == null ? "–" : `${(v / 1024).toFixed(1)} KB`);

/** One row per candidate, updated live from the project's event stream. */
export function CandidateTable({
  candidates,
  best,
  onApply,
  canApply,
}: {
  candidates: Candidate[];
  best: number | null | undefined;
  onApply: (c: Candidate) => void;
  canApply: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table aria-label="Candidates" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Configuration</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Epochs</Table.Th>
            <Table.Th>Accuracy int8 / float</Table.Th>
            <Table.Th>RAM</Table.Th>
            <Table.Th>Flash</Table.Th>
            <Table.Th>Latency</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {candidates.map((c) => (
            <Table.Tr key={c.id} data-testid="candidate-row" style={{ opacity: c.fits === false ? 0.5 : 1 }}>
              <Table.Td>{c.number}</Table.Td>
              <Table.Td>
                {c.label}
                {c.id === best && (
                  <Badge ml="xs" size="xs" color="orange">
                    best
                  </Badge>
                )}
                {c.error && (
                  <Text size="xs" c="red">
                    {c.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={COLORS[c.status] ?? "gray"}>
                  {c.status}
                </Badge>
              </Table.Td>
              <Table.Td>{c.epochs_done || "–"}</Table.Td>
              <Table.Td>
                {pct(c.accuracy_int8)} / {pct(c.accuracy_float)}
              </Table.Td>
              <Table.Td>{kb(c.ram_bytes)}</Table.Td>
              <Table.Td>{kb(c.flash_bytes)}</Table.Td>
              <Table.Td>{c.latency_ms == null ? "–" : `${c.latency_ms} ms`}</Table.Td>
              <Table.Td>
                {canApply && (c.status === "done" || c.status === "pruned") && (
                  <Button size="compact-sm" variant="light" onClick={() => onApply(c)}>
                    Apply
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

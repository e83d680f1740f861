import { Alert, Group, Progress, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../client/api";
import type { NetworkEstimate } from "../../hooks/useNetworkEstimate";
import { bytesText } from "./networkLayers";

type Props = {
  estimate: NetworkEstimate | null;
  pending: boolean;
  boardId: string;
  onBoard: (id: string) => void;
  invalid: boolean;
};

function Figure({ label, value, testId, used }: { label: string; value: string; testId: string; used?: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
      {used !== undefined && (
        <Progress
          value={Math.min(100, used * 100)}
          color={used > 1 ? "red" : used > 0.8 ? "yellow" : "teal"}
          size="sm"
          aria-label={`${label}: ${(used * 100).toFixed(0)}% of the board`}
        />
      )}
    </div>
  );
}

/** Parameters and the int8 model's RAM, flash and latency on the chosen board, as the network is edited. */
export function NetworkEstimatePanel({ estimate, pending, boardId, onBoard, invalid }: Props) {
  const boards = useQuery({ queryKey: ["boards"], queryFn: () => call(api.GET("/api/boards")), staleTime: Infinity });
  const board = boards.data?.find((b) => b.id === boardId);
  const cost = estimate?.total ?? estimate?.network;
  return (
    <Stack gap="xs" aria-live="polite">
      <Group justify="space-between" align="end">
        <Select
          label="Estimate for board"
          data={(boards.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
          value={boardId}
          allowDeselect={false}
          onChange={(v) => v && onBoard(v)}
          w={260}
        />
        {pending && (
          <Text size="xs" c="dimmed" data-testid="estimate-updating">
            Updating…
          </Text>
        )}
      </Group>
      {invalid && (
        <Text size="sm" c="dimmed">
          The estimate updates once the network is fixed.
        </Text>
      )}
      {estimate && cost && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} style={{ opacity: invalid ? 0.5 : 1 }}>
            <Figure label="Parameters" value={estimate.parameters.toLocaleString()} testId="estimate-params" />
            <Figure
              label="RAM"
              value={bytesText(cost.ram_bytes)}
              testId="estimate-ram"
              used={board ? cost.ram_bytes / (board.ram_kb * 1024) : undefined}
            />
            <Figure
              label="Flash"
              value={bytesText(cost.flash_bytes)}
              testId="estimate-flash"
              used={board ? cost.flash_bytes / (board.flash_kb * 1024) : undefined}
            />
            <Figure label="Latency" value={`${cost.latency_ms.toFixed(1)} ms`} testId="estimate-latency" />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            int8 model{estimate.total ? " with the impulse's DSP" : ""}
            {estimate.dsp
              ? ` (DSP ${estimate.dsp.latency_ms.toFixed(1)} ms, network ${estimate.network.latency_ms.toFixed(1)} ms)`
              : ""}
            . {estimate.note}
            {board && !board.cpi_measured ? " This board's speed is an estimate, not a measurement." : ""}
          </Text>
          {(!estimate.fits.ram || !estimate.fits.flash) && (
            <Alert color="yellow" title="Too big for this board">
              The model needs more {!estimate.fits.ram ? "RAM" : "flash"} than the {board?.name ?? "board"} has.
            </Alert>
          )}
        </>
      )}
    </Stack>
  );
}

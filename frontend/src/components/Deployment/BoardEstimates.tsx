import { Alert, Badge, Card, Select, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call, errorText } from "../../client/api";

const pct = (x?: number | null) => (x === undefined || x === null ? "–" : `${(x * 100).toFixed(1)}%`);
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const FPU: Record<string, string> = {
  none: "no FPU (float in software)",
  single: "single-precision FPU",
  double: "double-precision FPU",
};

/** Pick a board of the catalogue: float32 and int8 of the trained impulse on it (accuracy,
 * latency, RAM, flash) and a warning, in words, when a variant does not fit. */
export function BoardEstimates({
  projectId,
  impulseId,
  boardId,
  onBoardChange,
}: {
  projectId: number;
  impulseId: number;
  boardId: string;
  onBoardChange: (id: string) => void;
}) {
  const boards = useQuery({ queryKey: ["boards"], queryFn: () => call(api.GET("/api/boards")), staleTime: Infinity });
  const estimates = useQuery({
    queryKey: ["board-estimates", projectId, impulseId, boardId],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/boards/{board_id}/estimates", {
          params: { path: { project_id: projectId, board_id: boardId }, query: { impulse_id: impulseId } },
        }),
      ),
  });
  const board = estimates.data?.board ?? boards.data?.find((b) => b.id === boardId);
  const misfits = estimates.data?.variants.filter((v) => !v.fits) ?? [];
  return (
    <Card withBorder data-testid="board-estimates">
      <Title order={3} size="h4" mb="sm">
        Board
      </Title>
      <Select
        label="Board"
        allowDeselect={false}
        value={boardId}
        onChange={(v) => v && onBoardChange(v)}
        data={(boards.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
        maw={420}
      />
      {board && (
        <Text size="sm" mt="xs" data-testid="board-facts">
          {board.core} at {board.clock_mhz} MHz · {board.ram_kb} KB RAM ·{" "}
          {board.flash_kb >= 1024 ? `${board.flash_kb / 1024} MB` : `${board.flash_kb} KB`} flash · {FPU[board.fpu]}
          {board.dsp_extension ? " · SIMD instructions" : ""}
        </Text>
      )}
      {estimates.isError && (
        <Alert color="yellow" mt="sm">
          {errorText(estimates.error)}
        </Alert>
      )}
      {misfits.map((v) => (
        <Alert key={v.variant} color="red" mt="sm" title={`The ${v.variant} model does not fit the ${board?.name}`}>
          <span data-testid={`board-warning-${v.variant}`}>{v.problems.join("; ")}.</span>
        </Alert>
      ))}
      {estimates.data && (
        <Table aria-label={`float32 and int8 on the ${board?.name}`} fz="sm" mt="sm" data-testid="board-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Network</Table.Th>
              <Table.Th>Validation accuracy</Table.Th>
              <Table.Th>Latency*</Table.Th>
              <Table.Th>RAM</Table.Th>
              <Table.Th>Flash</Table.Th>
              <Table.Th>Fits?</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {estimates.data.variants.map((v) => (
              <Table.Tr key={v.variant}>
                <Table.Td>{v.variant}</Table.Td>
                <Table.Td data-testid={`board-${v.variant}-accuracy`}>{pct(v.accuracy)}</Table.Td>
                <Table.Td data-testid={`board-${v.variant}-latency`}>{ms(v.latency_ms)}</Table.Td>
                <Table.Td data-testid={`board-${v.variant}-ram`} c={v.fits_ram ? undefined : "red.8"}>
                  {kb(v.ram_bytes)}
                  {!v.fits_ram && " (too much)"}
                </Table.Td>
                <Table.Td data-testid={`board-${v.variant}-flash`} c={v.fits_flash ? undefined : "red.8"}>
                  {kb(v.flash_bytes)}
                  {!v.fits_flash && " (too much)"}
                </Table.Td>
                <Table.Td data-testid={`board-${v.variant}-fits`}>
                  <Badge variant="light" color={v.fits ? "teal" : "red"}>
                    {v.fits ? "fits" : "does not fit"}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {board && (
        <Text size="xs" c="dimmed" mt="xs" data-testid="board-derivation">
          * Latency per window, {board.latency_method === "measured" ? "estimated" : "derived"}:{" "}
          {board.latency_derivation}.{" "}
          {estimates.data &&
            `${estimates.data.variants.map((v) => `${v.variant}: ${v.instructions.toLocaleString("en")} instructions`).join(", ")}.`}{" "}
          RAM and flash are the generated library's (your application needs its own on top).
        </Text>
      )}
    </Card>
  );
}

/** A build's figures on the board chosen when it was built (its estimates' "board"). */
export function BuildOnBoard({ board }: { board: { name: string; latency_ms: number; fits: boolean } }) {
  return (
    <Text size="xs" c={board.fits ? "dimmed" : "red.8"} data-testid="build-board">
      {board.name}: {ms(board.latency_ms)}
      {board.fits ? "" : ", does not fit"}
    </Text>
  );
}

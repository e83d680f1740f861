import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";

const num = (v: string | number) => (v === "" ? null : Number(v));

/** Preset, the device's limits and the budget of a new search. */
export function StartRunForm({
  onStart,
  pending,
  error,
}: {
  onStart: (body: Schemas["TunerRunCreate"]) => void;
  pending: boolean;
  error: unknown;
}) {
  const [preset, setPreset] = useState("auto");
  const [candidates, setCandidates] = useState<string | number>(16);
  const [minutes, setMinutes] = useState<string | number>("");
  const [ram, setRam] = useState<string | number>("");
  const [flash, setFlash] = useState<string | number>("");
  const [latency, setLatency] = useState<string | number>("");
  const [boardId, setBoardId] = useState<string | null>(null);
  const boards = useQuery({ queryKey: ["boards"], queryFn: () => call(api.GET("/api/boards")), staleTime: Infinity });
  const board = boards.data?.find((b) => b.id === boardId);
  const start = () =>
    onStart({
      seed: 1,
      preset: preset as Schemas["TunerRunCreate"]["preset"],
      budget: { candidates: Number(candidates), minutes: num(minutes) } as Schemas["Budget"],
      constraints: { board: boardId, ram_kb: num(ram), flash_kb: num(flash), latency_ms: num(latency) },
    });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        New search
      </Title>
      <Text size="sm" mb={4}>
        Search space
      </Text>
      <SegmentedControl
        value={preset}
        onChange={setPreset}
        aria-label="Search space"
        data={[
          { value: "auto", label: "From the data" },
          { value: "motion", label: "Motion" },
          { value: "audio", label: "Audio" },
        ]}
      />
      <Group mt="sm" grow>
        <NumberInput label="Candidates" min={2} max={64} value={candidates} onChange={setCandidates} />
        <NumberInput label="Time budget (min)" min={0.1} value={minutes} onChange={setMinutes} />
      </Group>
      <Select
        mt="sm"
        label="Board"
        placeholder="None: give the limits below"
        clearable
        value={boardId}
        onChange={setBoardId}
        data={(boards.data ?? []).map((b) => ({
          value: b.id,
          label: `${b.name} · ${b.core} ${b.clock_mhz} MHz · ${b.ram_kb} KB RAM · ${b.flash_kb / 1024} MB flash`,
        }))}
      />
      <Text size="sm" mt="sm" c="dimmed">
        {board
          ? `Limits: the board's RAM and flash unless you give smaller ones; latency at ${board.clock_mhz} MHz` +
            (board.cpi_measured ? "" : ` (an estimate for the ${board.core}: see docs/tuner.md)`)
          : "Limits of your board (Cortex-M4F @ 80 MHz estimates); empty = no limit"}
      </Text>
      <Group grow>
        <NumberInput
          label="RAM (KB)"
          min={0}
          value={ram}
          onChange={setRam}
          placeholder={board ? String(board.ram_kb) : undefined}
        />
        <NumberInput
          label="Flash (KB)"
          min={0}
          value={flash}
          onChange={setFlash}
          placeholder={board ? String(board.flash_kb) : undefined}
        />
        <NumberInput label="Latency (ms)" min={0} value={latency} onChange={setLatency} />
      </Group>
      <Group mt="md">
        <Button onClick={start} loading={pending}>
          Start search
        </Button>
      </Group>
      {!!error && (
        <Alert color="red" mt="sm">
          {errorText(error)}
        </Alert>
      )}
    </Card>
  );
}

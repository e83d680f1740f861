import {
  ActionIcon,
  Alert,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconPlayerPlay } from "@tabler/icons-react";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";

type Preview = Schemas["SplitPreview"];
type Original = Schemas["SplitRequest"]["original"];

/** Split an audio sample: preview the cuts (drawn on the waveform by the parent), play each, then apply or cancel. */
export function AudioSplitPanel({
  projectId,
  sampleId,
  preview,
  onPreview,
  onPlay,
  onApplied,
}: {
  projectId: number;
  sampleId: number;
  preview: Preview | null;
  onPreview: (p: Preview | null) => void;
  onPlay: (index: number) => void;
  onApplied: () => void;
}) {
  const qc = useQueryClient();
  const [mode, setMode] = useState<"events" | "windows">("events");
  const [windowMs, setWindowMs] = useState(1000);
  const [thresholdDb, setThresholdDb] = useState(12);
  const [minGapMs, setMinGapMs] = useState(300);
  const [original, setOriginal] = useState<Original>("disable");
  const path = { project_id: projectId, sample_id: sampleId };
  // The server fills in the other parameters' defaults (the generated type lists them all as required).
  const body = {
    mode,
    window_ms: windowMs,
    threshold_db: thresholdDb,
    min_gap_ms: minGapMs,
  } as Schemas["SplitRequest"];
  const previewing = useMutation({
    mutationFn: () =>
      call(api.POST("/api/projects/{project_id}/samples/{sample_id}/split/preview", { params: { path }, body })),
    onSuccess: onPreview,
  });
  const applying = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/samples/{sample_id}/split", {
          params: { path },
          body: { ...body, original },
        }),
      ),
    onSuccess: () => {
      onPreview(null);
      qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "samples" || q.queryKey[0] === "dataset" });
      onApplied();
    },
  });
  const changed = () => onPreview(null); // a preview shown must match the parameters Apply sends
  const cuts = preview?.cuts ?? [];
  return (
    <Stack gap="xs" aria-label="Split the sample">
      <Group align="flex-end" gap="xs">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => (setMode(v as "events" | "windows"), changed())}
          data={[
            { value: "events", label: "Around events" },
            { value: "windows", label: "Into windows" },
          ]}
        />
        <NumberInput
          size="xs"
          label="Clip length (ms)"
          value={windowMs}
          min={10}
          w={120}
          onChange={(v) => (setWindowMs(Number(v) || 1000), changed())}
        />
        {mode === "events" && (
          <>
            <NumberInput
              size="xs"
              label="Above noise (dB)"
              value={thresholdDb}
              min={1}
              max={60}
              w={120}
              onChange={(v) => (setThresholdDb(Number(v) || 12), changed())}
            />
            <NumberInput
              size="xs"
              label="Merge gaps under (ms)"
              value={minGapMs}
              min={0}
              w={150}
              onChange={(v) => (setMinGapMs(Number(v) || 0), changed())}
            />
          </>
        )}
        <Button size="xs" variant="light" loading={previewing.isPending} onClick={() => previewing.mutate()}>
          Preview split
        </Button>
      </Group>
      {previewing.isError && <Alert color="red">{errorText(previewing.error)}</Alert>}
      {preview && (
        <>
          <Text size="sm" aria-live="polite">
            {cuts.length} cut{cuts.length === 1 ? "" : "s"}
            {preview.noise_floor_db != null &&
              ` · noise floor ${preview.noise_floor_db.toFixed(1)} dB, threshold ${preview.threshold_db?.toFixed(1)} dB`}
          </Text>
          {cuts.length > 0 && (
            <Table.ScrollContainer minWidth={360} mah={180}>
              <Table aria-label="Proposed cuts" fz="xs" verticalSpacing={2}>
                <Table.Tbody>
                  {cuts.map((c, i) => (
                    <Table.Tr key={i} data-testid="split-cut">
                      <Table.Td w={36}>
                        <ActionIcon
                          size="sm"
                          variant="subtle"
                          aria-label={`Play cut ${i + 1}`}
                          onClick={() => onPlay(i)}
                        >
                          <IconPlayerPlay size={14} />
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>#{i + 1}</Table.Td>
                      <Table.Td>
                        {Math.round(c.start_ms)}–{Math.round(c.end_ms)} ms
                      </Table.Td>
                      <Table.Td>{c.energy_db != null && `${c.energy_db.toFixed(1)} dB`}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group gap="xs" align="flex-end">
            <Select
              size="xs"
              label="Then the original"
              value={original}
              allowDeselect={false}
              onChange={(v) => v && setOriginal(v as Original)}
              w={170}
              data={[
                { value: "disable", label: "is disabled" },
                { value: "keep", label: "is kept" },
                { value: "delete", label: "is deleted" },
              ]}
            />
            <Button
              size="xs"
              disabled={cuts.length === 0}
              loading={applying.isPending}
              onClick={() => applying.mutate()}
            >
              Apply ({cuts.length} new sample{cuts.length === 1 ? "" : "s"})
            </Button>
            <Button size="xs" variant="default" onClick={() => onPreview(null)}>
              Cancel
            </Button>
          </Group>
          {applying.isError && <Alert color="red">{errorText(applying.error)}</Alert>}
        </>
      )}
    </Stack>
  );
}

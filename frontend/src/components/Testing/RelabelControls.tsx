import { Alert, Button, Group, Select } from "@mantine/core";
import { useState } from "react";
import { errorText } from "../../client/api";
import type { useRelabel } from "./useRelabel";

/** "Relabel as <predicted>" in one click, any other label from a picker, and the undo of the last change. */
export function RelabelControls({
  sampleId,
  current,
  suggestion,
  labels,
  relabeling,
}: {
  sampleId: number;
  current: string;
  suggestion: string | null;
  labels: string[];
  relabeling: ReturnType<typeof useRelabel>;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const { relabel, mutation, last, undo } = relabeling;
  const others = labels.filter((l) => l !== current);
  return (
    <>
      <Group align="flex-end" gap="xs">
        {suggestion && suggestion !== current && (
          <Button
            size="xs"
            color="orange"
            loading={mutation.isPending}
            onClick={() => relabel({ sampleId, from: current, to: suggestion })}
          >
            Relabel as {suggestion}
          </Button>
        )}
        <Select
          size="xs"
          w={160}
          aria-label="New label"
          placeholder="Other label"
          data={others}
          value={picked}
          onChange={setPicked}
          searchable
        />
        <Button
          size="xs"
          variant="light"
          disabled={!picked}
          loading={mutation.isPending}
          onClick={() => picked && relabel({ sampleId, from: current, to: picked })}
        >
          Relabel
        </Button>
      </Group>
      {mutation.isError && (
        <Alert color="red" role="alert">
          {errorText(mutation.error)}
        </Alert>
      )}
      {last && last.sampleId === sampleId && (
        <Alert color="teal" data-testid="relabel-done">
          <Group justify="space-between">
            <span>
              Relabeled from {last.from || "unlabeled"} to <b>{last.to}</b>. Test again to see it in the results.
            </span>
            <Button size="xs" variant="white" onClick={undo} loading={mutation.isPending}>
              Undo
            </Button>
          </Group>
        </Alert>
      )}
    </>
  );
}

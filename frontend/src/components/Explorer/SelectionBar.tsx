import { Alert, Button, Card, Group, List, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText } from "../../client/api";
import type { Category, SampleEdit } from "./explorerPoints";

/** What can be done to the samples behind the selected points: relabel, move, disable, list. */
export function SelectionBar({
  projectId,
  sampleIds,
  windows,
  canEdit,
  onChanged,
  onOpen,
  onClear,
}: {
  projectId: number;
  sampleIds: number[];
  windows: number;
  canEdit: boolean;
  onChanged: (ids: number[], edit: SampleEdit) => void;
  onOpen: (sampleId: number) => void;
  onClear: () => void;
}) {
  const qc = useQueryClient();
  const [label, setLabel] = useState("");
  const [listed, setListed] = useState(false);
  const update = useMutation({
    mutationFn: (edit: { label?: string; category?: Category; enabled?: boolean }) =>
      call(
        api.POST("/api/projects/{project_id}/samples/bulk-update", {
          params: { path: { project_id: projectId } },
          body: { ids: sampleIds, ...edit },
        }),
      ),
    onSuccess: (_, edit) => {
      onChanged(sampleIds, {
        label: edit.label?.trim(),
        category: edit.category,
        disabled: edit.enabled === false || undefined,
      });
      setLabel("");
      qc.invalidateQueries({
        predicate: (q) => ["samples", "dataset", "label-suggestions"].includes(String(q.queryKey[0])),
      });
    },
  });
  const n = sampleIds.length;
  return (
    <Card withBorder data-testid="explorer-selection">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>
          {n} {n === 1 ? "sample" : "samples"} selected ({windows} {windows === 1 ? "window" : "windows"})
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="subtle" onClick={() => setListed((v) => !v)}>
            {listed ? "Hide the list" : "List them"}
          </Button>
          <Button size="xs" variant="subtle" color="gray" onClick={onClear}>
            Clear selection
          </Button>
        </Group>
      </Group>
      {canEdit && (
        <Group gap="xs" align="end">
          <TextInput
            size="xs"
            label="New label"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            maxLength={128}
          />
          <Button
            size="xs"
            disabled={!label.trim()}
            loading={update.isPending}
            onClick={() => update.mutate({ label })}
          >
            Relabel
          </Button>
          <Button size="xs" variant="light" onClick={() => update.mutate({ category: "training" })}>
            Move to training
          </Button>
          <Button size="xs" variant="light" onClick={() => update.mutate({ category: "testing" })}>
            Move to testing
          </Button>
          <Button size="xs" variant="light" color="red" onClick={() => update.mutate({ enabled: false })}>
            Disable
          </Button>
        </Group>
      )}
      {update.isError && (
        <Alert color="red" mt="xs">
          {errorText(update.error)}
        </Alert>
      )}
      {listed && (
        <List size="sm" mt="xs" aria-label="Selected samples">
          {sampleIds.slice(0, 200).map((id) => (
            <List.Item key={id}>
              <Button size="compact-xs" variant="subtle" onClick={() => onOpen(id)}>
                Open sample {id}
              </Button>
            </List.Item>
          ))}
          {n > 200 && <List.Item>… and {n - 200} more</List.Item>}
        </List>
      )}
    </Card>
  );
}

import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";
import type { SampleEdit } from "./explorerPoints";

type Group = Schemas["SuggestionGroup"];

/** Labels proposed for unlabeled samples, one group at a time: the user edits the label if
 * needed and accepts; "Show" selects the group's points on the map. */
export function SuggestionsPanel({
  projectId,
  impulseId,
  jobId,
  canEdit,
  onAccepted,
  onShow,
}: {
  projectId: number;
  impulseId: number;
  jobId: number | undefined;
  canEdit: boolean;
  onAccepted: (ids: number[], edit: SampleEdit) => void;
  onShow: (sampleIds: number[]) => void;
}) {
  const qc = useQueryClient();
  const path = { project_id: projectId, impulse_id: impulseId };
  const [edited, setEdited] = useState<Record<number, string>>({});
  const suggestions = useQuery({
    queryKey: ["label-suggestions", projectId, impulseId, jobId],
    enabled: jobId !== undefined,
    queryFn: () =>
      call(api.GET("/api/projects/{project_id}/impulses/{impulse_id}/label-suggestions", { params: { path } })),
  });
  const labelOf = (g: Group) => (edited[g.group] ?? g.label).trim();
  const accept = useMutation({
    mutationFn: (groups: Group[]) =>
      call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/label-suggestions/accept", {
          params: { path },
          body: { groups: groups.map((g) => ({ label: labelOf(g), ids: g.sample_ids })) },
        }),
      ),
    onSuccess: (_, groups) => {
      for (const g of groups) onAccepted(g.sample_ids, { label: labelOf(g) });
      qc.invalidateQueries({
        predicate: (q) => ["samples", "dataset", "label-suggestions"].includes(String(q.queryKey[0])),
      });
    },
  });
  const data = suggestions.data;
  if (!data) return null;
  const groups = data.groups;
  return (
    <Card withBorder data-testid="label-suggestions">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Label suggestions
        </Title>
        {canEdit && groups.length > 1 && (
          <Button
            size="xs"
            onClick={() => accept.mutate(groups)}
            loading={accept.isPending}
            disabled={groups.some((g) => !labelOf(g))}
          >
            Accept all
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Unlabeled samples grouped by likeness; each group gets the label most of its nearest labeled windows carry.
      </Text>
      {data.stale && groups.length > 0 && (
        <Alert color="yellow" mb="xs">
          The data or the impulse changed since these were made: draw the map again for fresh suggestions.
        </Alert>
      )}
      {accept.isError && (
        <Alert color="red" mb="xs">
          {errorText(accept.error)}
        </Alert>
      )}
      {groups.length === 0 ? (
        <Text size="sm">
          {data.unlabeled_samples === 0
            ? "Every sample on the map has a label."
            : "No suggestions: label a few samples first."}
        </Text>
      ) : (
        <Stack gap="xs">
          {groups.map((g) => (
            <Group key={g.group} gap="xs" align="end" data-testid="suggestion-group" wrap="nowrap">
              <TextInput
                size="xs"
                label={`Label for ${g.sample_ids.length} ${g.sample_ids.length === 1 ? "sample" : "samples"}`}
                value={edited[g.group] ?? g.label}
                onChange={(e) => setEdited((m) => ({ ...m, [g.group]: e.currentTarget.value }))}
                readOnly={!canEdit}
                style={{ flex: 1 }}
              />
              <Badge variant="light" color={g.confidence >= 0.8 ? "teal" : g.confidence >= 0.5 ? "yellow" : "red"}>
                {Math.round(g.confidence * 100)}% sure
              </Badge>
              <Button size="xs" variant="subtle" onClick={() => onShow(g.sample_ids)}>
                Show
              </Button>
              {canEdit && (
                <Button
                  size="xs"
                  variant="light"
                  disabled={!labelOf(g)}
                  onClick={() => accept.mutate([g])}
                  aria-label={`Accept ${labelOf(g) || "label"} for ${g.sample_ids.length} samples`}
                >
                  Accept
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

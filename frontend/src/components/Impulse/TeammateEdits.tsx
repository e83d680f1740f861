import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconUsers } from "@tabler/icons-react";
import type { BlockCatalogue, Impulse, ImpulseConfig } from "../../client/domain";
import { ApiError, errorText } from "../../client/api";
import type { useImpulseDraft } from "../../hooks/useImpulseDraft";
import { compare, showValue } from "../../lib/impulseDiff";

const whoSaved = (by: string | null, version: number) => `${by ?? "A teammate"} saved version ${version}`;

/** Said at once when a teammate saves while this form is open; the form itself is left alone. */
export function TeammateSavedNotice({
  newer,
  by,
  formVersion,
  onCompare,
  onLoad,
}: {
  newer: Impulse;
  by: string | null;
  formVersion: number | null;
  onCompare: () => void;
  onLoad: () => void;
}) {
  return (
    <Alert role="status" aria-label="Teammate saved" color="yellow" variant="light" icon={<IconUsers size={18} />}>
      <Stack gap="xs">
        <Text size="sm">
          <b>{whoSaved(by, newer.version)}</b> while you were editing.{" "}
          {formVersion !== null ? `Your form still shows version ${formVersion}; ` : "Your form is not saved yet; "}
          saving it now would be refused until you choose what to keep.
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={onCompare}>
            Show their changes
          </Button>
          <Button size="xs" variant="subtle" onClick={onLoad}>
            Load their version
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Their version against your form, field by field, and the two ways on: theirs, or yours on top. */
export function ConflictPanel({
  theirs,
  by,
  refused,
  base,
  yours,
  blocks,
  onLoadTheirs,
  onApplyMine,
  onClose,
}: {
  theirs: Impulse;
  by: string | null;
  refused: boolean;
  base: ImpulseConfig;
  yours: ImpulseConfig;
  blocks?: BlockCatalogue;
  onLoadTheirs: () => void;
  onApplyMine: () => void;
  onClose: () => void;
}) {
  const rows = compare(base, yours, theirs.config, blocks);
  const who = by ?? "Your teammate";
  return (
    <Card withBorder shadow="sm" style={{ borderColor: "var(--mantine-color-orange-5)" }}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {refused ? `Not saved: ${whoSaved(by, theirs.version)} first` : `${whoSaved(by, theirs.version)}`}
        </Title>
        <Text size="sm" c="dimmed">
          Nothing was overwritten. Below is each field where {by ? `${by}'s` : "their"} version and your form differ.
          Load theirs to drop your edits, or keep theirs and apply only the fields you changed on top.
        </Text>
        {rows.length === 0 ? (
          <Text size="sm">Their version and your form have the same settings.</Text>
        ) : (
          <Table aria-label="Their changes and yours" withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>
                  {who} (version {theirs.version})
                </Table.Th>
                <Table.Th>Your form</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.field}</Table.Td>
                  <Table.Td>
                    {showValue(r.theirs)}{" "}
                    {r.byThem && (
                      <Badge size="xs" color="orange" variant="light">
                        changed by {by ?? "them"}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {showValue(r.yours)}{" "}
                    {r.byYou && (
                      <Badge size="xs" color="blue" variant="light">
                        changed by you
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group gap="xs">
          <Button variant="default" onClick={onLoadTheirs}>
            Load their version
          </Button>
          <Button onClick={onApplyMine}>Apply my changes on top and save</Button>
          {!refused && (
            <Button variant="subtle" color="gray" onClick={onClose}>
              Close
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

type Draft = ReturnType<typeof useImpulseDraft>;

/** The notice for a form built on useImpulseDraft: a teammate saved a newer version. */
export function DraftTeammateNotice({ draft }: { draft: Draft }) {
  if (draft.conflict || !draft.newer) return null;
  const newer = draft.newer;
  return (
    <TeammateSavedNotice
      newer={newer}
      by={draft.savedBy(newer.version)}
      formVersion={draft.loaded?.version ?? null}
      onCompare={() => draft.compare(newer)}
      onLoad={() => draft.load(newer)}
    />
  );
}

/** The conflict panel for a form built on useImpulseDraft, and a refused save's other reasons. */
export function DraftConflict({ draft, blocks }: { draft: Draft; blocks?: BlockCatalogue }) {
  const { conflict, cfg, save } = draft;
  return (
    <>
      {conflict && cfg && (
        <ConflictPanel
          theirs={conflict.theirs}
          refused={conflict.refused}
          by={draft.savedBy(conflict.theirs.version)}
          base={draft.loaded?.config ?? conflict.theirs.config}
          yours={cfg}
          blocks={blocks}
          onLoadTheirs={() => draft.load(conflict.theirs)}
          onApplyMine={() => draft.applyMineOnTop(conflict.theirs)}
          onClose={draft.dismissConflict}
        />
      )}
      {save.isError && !(save.error instanceof ApiError && save.error.status === 409) && (
        <Alert color="red" role="alert">
          {errorText(save.error)}
        </Alert>
      )}
    </>
  );
}

import { Alert, Badge, Button, Card, Grid, Group, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { ApiError, errorText } from "../../client/api";
import type { BlockCatalogue, Impulse } from "../../client/domain";
import { useImpulseDraft } from "../../hooks/useImpulseDraft";
import { useNetworkEstimate } from "../../hooks/useNetworkEstimate";
import { BlockParamsForm } from "../Impulse/BlockParamsForm";
import { ConflictPanel, TeammateSavedNotice } from "../Impulse/TeammateEdits";
import { NetworkEditor } from "./NetworkEditor";
import { NetworkEstimatePanel } from "./NetworkEstimatePanel";
import type { Layer, LayerCatalogue } from "./networkLayers";

const DEFAULT_BOARD = "arduino-nano-33-ble-sense";

type Props = {
  projectId: number;
  canEdit: boolean;
  impulse: Impulse;
  blocks: BlockCatalogue;
  training: boolean;
  onTrain: () => Promise<unknown>;
};

/**
 * The learning block's training settings and network, edited in a draft of the impulse (saved as
 * a new version; a teammate's newer version is shown, not overwritten), and the Train button,
 * disabled with the reason while the network cannot be built.
 */
export function TrainingSetup({ projectId, canEdit, impulse, blocks, training, onTrain }: Props) {
  const draft = useImpulseDraft(projectId, impulse);
  const { cfg, setCfg, load, save } = draft;
  const [boardId, setBoardId] = useState(DEFAULT_BOARD);
  const [textError, setTextError] = useState<string | null>(null);
  useEffect(() => {
    if (!cfg) load(impulse);
  }, [cfg, impulse, load]);
  const config = cfg ?? impulse.config;
  const at = Math.max(
    0,
    config.learning.findIndex((b) =>
      blocks.learning.find((s) => s.id === b.type)?.params.some((p) => p.name === "architecture"),
    ),
  );
  const learn = config.learning[at];
  const spec = blocks.learning.find((s) => s.id === learn.type);
  const catalogue = spec?.params.find((p) => p.name === "architecture")?.schema as LayerCatalogue | undefined;
  const layers = (catalogue ? learn.params.architecture : []) as Layer[];
  const est = useNetworkEstimate(projectId, catalogue ? impulse.id : null, layers, boardId);
  const setParams = (params: Record<string, unknown>) =>
    setCfg({ ...config, learning: config.learning.map((b, i) => (i === at ? { ...b, params } : b)) });
  const dirty = JSON.stringify(config) !== JSON.stringify(draft.loaded?.config ?? impulse.config);
  const why = textError
    ? "The network's JSON is not a list of layers yet."
    : est.invalid
      ? `The network cannot be built: ${est.invalid.index !== null ? `layer ${est.invalid.index + 1}: ` : ""}${est.invalid.message}`
      : null;
  const train = async () => {
    try {
      if (dirty) await save.mutateAsync({ config, version: draft.loaded?.version ?? impulse.version, id: impulse.id });
      await onTrain();
    } catch {
      // shown where it belongs: a refused save by the conflict panel or its alert, a refused start by the page
    }
  };

  return (
    <Stack>
      {!draft.conflict && draft.newer && (
        <TeammateSavedNotice
          newer={draft.newer}
          by={draft.savedBy(draft.newer.version)}
          formVersion={draft.loaded?.version ?? null}
          onCompare={() => draft.compare(draft.newer!)}
          onLoad={() => load(draft.newer)}
        />
      )}
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          Training settings
        </Title>
        {spec && (
          <BlockParamsForm
            params={spec.params.filter((p) => p.name !== "architecture")}
            values={learn.params}
            disabled={!canEdit}
            onChange={setParams}
          />
        )}
      </Card>
      {catalogue && (
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Neural network
          </Title>
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <NetworkEditor
                layers={layers}
                catalogue={catalogue}
                estimate={est.estimate}
                invalid={est.invalid}
                disabled={!canEdit}
                onChange={(architecture) => setParams({ ...learn.params, architecture })}
                onTextError={setTextError}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <NetworkEstimatePanel
                estimate={est.estimate}
                pending={est.pending}
                boardId={boardId}
                onBoard={setBoardId}
                invalid={!!est.invalid || !!textError}
              />
              {est.failed && (
                <Alert color="red" mt="sm">
                  No estimate: {errorText(est.failed)}
                </Alert>
              )}
            </Grid.Col>
          </Grid>
        </Card>
      )}
      {draft.conflict && (
        <ConflictPanel
          theirs={draft.conflict.theirs}
          refused={draft.conflict.refused}
          by={draft.savedBy(draft.conflict.theirs.version)}
          base={draft.loaded?.config ?? draft.conflict.theirs.config}
          yours={config}
          blocks={blocks}
          onLoadTheirs={() => load(draft.conflict!.theirs)}
          onApplyMine={() => draft.applyMineOnTop(draft.conflict!.theirs)}
          onClose={draft.dismissConflict}
        />
      )}
      {save.isError && !(save.error instanceof ApiError && save.error.status === 409) && (
        <Alert color="red" role="alert">
          {errorText(save.error)}
        </Alert>
      )}
      {canEdit && (
        <Group>
          <Button variant="default" onClick={draft.submit} loading={save.isPending} disabled={!dirty || !!textError}>
            Save settings
          </Button>
          <Button
            onClick={train}
            loading={training || save.isPending}
            disabled={!!why}
            aria-describedby={why ? "train-disabled-reason" : undefined}
          >
            {dirty ? "Save and train" : "Start training"}
          </Button>
          <Badge variant="light">version {impulse.version}</Badge>
          {dirty && !why && (
            <Text size="sm" c="dimmed">
              Unsaved changes
            </Text>
          )}
          {why && (
            <Text size="sm" c="red.8" id="train-disabled-reason" data-testid="train-disabled-reason">
              {why}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}

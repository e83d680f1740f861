import { Anchor, Badge, Button, Card, Grid, Group, Stack, Text, Title } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import type { ImpulseConfig } from "../client/domain";
import { BlockParamsForm } from "../components/Impulse/BlockParamsForm";
import { BlockSignal } from "../components/Impulse/BlockSignal";
import { DraftPreviewPanel, useDraftPreview } from "../components/Impulse/DraftPreview";
import { UnsavedBadge } from "../components/Impulse/UnsavedBadge";
import { DraftConflict, DraftTeammateNotice } from "../components/Impulse/TeammateEdits";
import { PageHeader } from "../components/ui/PageHeader";
import { EmptyState, Loading } from "../components/ui/States";
import { useBlocks, useImpulse } from "../hooks/useImpulse";
import { useImpulseDraft } from "../hooks/useImpulseDraft";
import { useProject } from "../hooks/useProject";
import { changedPaths } from "../lib/impulseDiff";

const backLink = (projectId: number) => (
  <Anchor component={Link} to={`/projects/${projectId}/impulse`} size="sm">
    <Group gap={4}>
      <IconArrowLeft size={14} /> Back to the impulse
    </Group>
  </Anchor>
);

/** One processing block of the impulse: its parameters beside a live preview of one window. */
export function ProcessingBlockPage() {
  const p = useProject();
  const blockId = useParams().blockId ?? "";
  const blocks = useBlocks();
  const { impulse, isPending } = useImpulse(p.id);
  const draft = useImpulseDraft(p.id, impulse);
  const { cfg, load } = draft;

  useEffect(() => {
    if (!cfg && impulse) load(impulse);
  }, [cfg, impulse, load]);

  if (isPending || !blocks.data || (impulse && !cfg)) return <Loading />;
  const index = cfg?.processing.findIndex((b) => b.id === blockId) ?? -1;
  if (!impulse || !cfg || index < 0)
    return (
      <EmptyState title={`The impulse has no processing block "${blockId}"`} action={backLink(p.id)}>
        {impulse ? "It may have been removed or renamed by a teammate." : "Design and save an impulse first."}
      </EmptyState>
    );
  const block = cfg.processing[index];
  const spec = blocks.data.processing.find((b) => b.id === block.type);
  const unsaved = draft.loaded ? changedPaths(draft.loaded.config, cfg).length : 0;
  const setParams = (params: Record<string, unknown>) =>
    draft.setCfg({ ...cfg, processing: cfg.processing.map((b, i) => (i === index ? { ...b, params } : b)) });

  return (
    <Stack>
      <PageHeader
        title={spec?.name ?? block.type}
        description={
          <>
            Processing block <b>{block.id}</b> of the impulse. {spec?.description}
          </>
        }
        actions={backLink(p.id)}
      />
      <DraftTeammateNotice draft={draft} />
      {/* full width, so the field-by-field comparison stays readable */}
      <DraftConflict draft={draft} blocks={blocks.data} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Parameters
            </Title>
            {spec ? (
              <BlockParamsForm params={spec.params} values={block.params} disabled={!p.canEdit} onChange={setParams} />
            ) : (
              <Text size="sm">This block type is not known to this server.</Text>
            )}
            <Group mt="md">
              {p.canEdit && (
                <Button onClick={draft.submit} loading={draft.save.isPending} disabled={unsaved === 0}>
                  Save impulse
                </Button>
              )}
              <Badge variant="light">version {impulse.version}</Badge>
              <UnsavedBadge from={draft.loaded?.config ?? null} cfg={cfg} />
            </Group>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <BlockWork projectId={p.id} impulseId={impulse.id} blockId={block.id} cfg={cfg} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The raw signal with its window, and the block's preview of that window for the draft. */
function BlockWork({
  projectId,
  impulseId,
  blockId,
  cfg,
}: {
  projectId: number;
  impulseId: number;
  blockId: string;
  cfg: ImpulseConfig;
}) {
  const [sampleId, setSampleId] = useState<number | null>(null);
  const [start, setStart] = useState(0);
  const preview = useDraftPreview(projectId, impulseId, blockId, sampleId, start, cfg);
  const pickSample = useCallback((id: number) => {
    setSampleId(id);
    setStart(0);
  }, []);
  return (
    <Stack>
      <BlockSignal
        projectId={projectId}
        input={cfg.input}
        sampleId={sampleId}
        onSample={pickSample}
        start={start}
        onStart={setStart}
      />
      <DraftPreviewPanel preview={preview} />
    </Stack>
  );
}

import { Badge, Button, Card, Grid, Group, NumberInput, Stack, TagsInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link } from "react-router";
import { api, call } from "../client/api";
import { LearningBlockCards, ProcessingBlockCards } from "../components/Impulse/BlockCards";
import { ImpulseDiagram } from "../components/Impulse/ImpulseDiagram";
import { DraftConflict, DraftTeammateNotice } from "../components/Impulse/TeammateEdits";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, Loading, NextStep } from "../components/ui/States";
import { defaultsOf, learningDefaults, useBlocks, useImpulse } from "../hooks/useImpulse";
import { useImpulseDraft } from "../hooks/useImpulseDraft";
import { useProject } from "../hooks/useProject";
import { UnsavedBadge } from "../components/Impulse/UnsavedBadge";

function Designer() {
  const p = useProject();
  const blocks = useBlocks();
  const { impulse, isPending } = useImpulse(p.id);
  const summary = useQuery({
    queryKey: ["dataset", p.id],
    queryFn: () =>
      call(api.GET("/api/projects/{project_id}/samples/summary", { params: { path: { project_id: p.id } } })),
  });
  const draft = useImpulseDraft(p.id, impulse);
  const { cfg, setCfg, load, save } = draft;

  useEffect(() => {
    if (cfg || !blocks.data || isPending || !summary.data) return;
    if (impulse) {
      load(impulse);
      return;
    }
    const sensors = summary.data.sensors[0];
    const proc = blocks.data.processing.find((b) => b.id === "spectral-analysis") ?? blocks.data.processing[0];
    const learn = blocks.data.learning.find((b) => b.id === "keras-classifier") ?? blocks.data.learning[0];
    load(null, {
      input: {
        axes: sensors?.sensors ?? [],
        window_size_ms: 1000,
        window_increase_ms: 500,
        frequency_hz: sensors?.frequency_hz ?? 62.5,
      },
      processing: [{ id: proc.id, type: proc.id, params: defaultsOf(proc.params) }],
      learning: [{ id: learn.id, type: learn.id, params: learningDefaults(learn, proc.id) }],
    });
  }, [blocks.data, impulse, isPending, summary.data, cfg, load]);
  if (!cfg || !blocks.data) return <Loading />;
  if (summary.data?.total === 0)
    return (
      <EmptyState
        title="Collect some data first"
        action={<NextStep to={`/projects/${p.id}/data`}>Go to data acquisition</NextStep>}
      >
        The impulse's input (axes and frequency) comes from your samples.
      </EmptyState>
    );
  const saved = draft.loaded?.config ?? null;
  // a block's page exists once the block is saved (the page loads the stored impulse)
  const savedIds = new Set(saved?.processing.map((b) => `${b.id}:${b.type}`) ?? []);
  const edit = { cfg, setCfg, blocks: blocks.data, readOnly: !p.canEdit };
  const setInput = (k: string, v: unknown) => setCfg({ ...cfg, input: { ...cfg.input, [k]: v } });
  const ro = !p.canEdit;
  return (
    <Stack>
      <DraftTeammateNotice draft={draft} />
      <Card withBorder>
        <ImpulseDiagram projectId={p.id} cfg={cfg} savedIds={savedIds} blocks={blocks.data} />
      </Card>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder h="100%" id="impulse-input">
            <Title order={3} size="h4" mb="xs">
              1. Time-series input
            </Title>
            <Stack gap="xs">
              <TagsInput label="Axes" value={cfg.input.axes} onChange={(v) => setInput("axes", v)} disabled={ro} />
              <NumberInput
                label="Window size (ms)"
                value={cfg.input.window_size_ms}
                min={1}
                onChange={(v) => setInput("window_size_ms", Number(v))}
                disabled={ro}
              />
              <NumberInput
                label="Window increase (ms)"
                value={cfg.input.window_increase_ms}
                min={1}
                onChange={(v) => setInput("window_increase_ms", Number(v))}
                disabled={ro}
              />
              <NumberInput
                label="Frequency (Hz)"
                value={cfg.input.frequency_hz}
                min={0.001}
                decimalScale={3}
                onChange={(v) => setInput("frequency_hz", Number(v))}
                disabled={ro}
              />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <ProcessingBlockCards {...edit} projectId={p.id} savedIds={savedIds} />
        </Grid.Col>
      </Grid>
      <LearningBlockCards {...edit} />
      <DraftConflict draft={draft} blocks={blocks.data} />
      <Group>
        {p.canEdit && (
          <Button onClick={draft.submit} loading={save.isPending}>
            Save impulse
          </Button>
        )}
        {impulse && <Badge variant="light">version {impulse.version}</Badge>}
        <UnsavedBadge from={saved} cfg={cfg} />
        {save.isSuccess && (
          <Button variant="light" component={Link} to={`/projects/${p.id}/features`}>
            Next: generate features
          </Button>
        )}
      </Group>
    </Stack>
  );
}

export function ImpulsePage() {
  return (
    <StagePage
      title="Impulse design"
      description="An impulse cuts raw data into windows, turns each into features with a processing block, and learns from them with a learning block."
      empty=""
    >
      <Designer />
    </StagePage>
  );
}

import { Alert, Card, Group, Loader, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, call, errorText } from "../../client/api";
import type { ImpulseConfig } from "../../client/domain";
import { EChart } from "../Charts/EChart";
import { type DspGraph, dspGraphOption } from "./dspGraphOption";

type BlockResult = { id: string; feature_names: string[]; features: number[]; graphs?: DspGraph[] };
type Preview = { window_start_ms: number; blocks: BlockResult[] };

/** The block's answer for the draft parameters, asked again ~300 ms after the last edit. */
export function useDraftPreview(
  projectId: number,
  impulseId: number,
  blockId: string,
  sampleId: number | null,
  startMs: number,
  cfg: ImpulseConfig,
) {
  // one object per edit (not per render), so the debounce timer restarts only when something changed
  const latest = useMemo(() => ({ cfg, startMs }), [cfg, startMs]);
  const [asked] = useDebouncedValue(latest, 300);
  return useQuery({
    queryKey: ["draft-preview", projectId, impulseId, blockId, sampleId, asked],
    enabled: sampleId !== null,
    placeholderData: keepPreviousData, // keep the last graphs while the next answer comes
    retry: false,
    staleTime: Infinity,
    // The worker's answer is free-form JSON in the schema; Preview is what the preview task returns.
    queryFn: async () =>
      (await call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/preview", {
          params: { path: { project_id: projectId, impulse_id: impulseId } },
          body: { sample_id: sampleId!, window_start_ms: asked.startMs, block_id: blockId, config: asked.cfg },
        }),
      )) as Preview,
  });
}

/** Features and graphs of one window; an unusable setting is explained, the last good answer kept. */
export function DraftPreviewPanel({ preview }: { preview: ReturnType<typeof useDraftPreview> }) {
  const block = preview.data?.blocks[0];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          DSP preview
        </Title>
        {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
      </Group>
      {preview.isError && (
        <Alert color="red" role="alert" title="These settings cannot be previewed" mb="sm">
          {errorText(preview.error)}
        </Alert>
      )}
      {!preview.data && !preview.isError && (
        <Text size="sm" c="dimmed">
          Pick a sample to see what this block makes of one window.
        </Text>
      )}
      {preview.data && block && (
        <>
          <Group gap="lg" mb="xs" data-testid="preview-summary">
            <Text size="sm">
              Window starts at <b data-testid="preview-window-start">{preview.data.window_start_ms.toFixed(0)}</b> ms
            </Text>
            <Text size="sm">
              <b data-testid="preview-feature-count">{block.features.length}</b> features
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {(block.graphs ?? []).map((g) => (
              <EChart key={g.name} label={g.name} height={g.type === "image" ? 260 : 220} option={dspGraphOption(g)} />
            ))}
          </SimpleGrid>
          {/* focusable, so the list scrolls from the keyboard too */}
          <div
            role="region"
            aria-label="Feature values"
            tabIndex={0}
            style={{ maxHeight: 260, overflowY: "auto", marginTop: 12 }}
          >
            <Table aria-label="Features of this window" striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Feature</Table.Th>
                  <Table.Th>Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {block.feature_names.map((n, i) => (
                  <Table.Tr key={n}>
                    <Table.Td>{n}</Table.Td>
                    <Table.Td>{block.features[i].toFixed(4)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        </>
      )}
    </Card>
  );
}

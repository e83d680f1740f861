import { Box, Group, Paper, Stack, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { BlockCatalogue, ImpulseConfig } from "../../client/domain";

/** A box of the diagram: a link when the block has a page, plain otherwise. */
function BlockBox({
  kind,
  title,
  detail,
  to,
  action,
  note,
}: {
  kind: string;
  title: string;
  detail: ReactNode;
  to?: string;
  action?: string;
  note?: string;
}) {
  const body = (
    <Paper withBorder p="sm" radius="md" miw={190} style={{ borderWidth: 2 }} className="impulse-block">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {kind}
      </Text>
      <Text fw={600}>{title}</Text>
      <Text size="xs">{detail}</Text>
      {/* said to screen readers after the box's own text, which names the link */}
      {action && <VisuallyHidden>{action}</VisuallyHidden>}
      {note && (
        <Text size="xs" c="dimmed" fs="italic" mt={2}>
          {note}
        </Text>
      )}
    </Paper>
  );
  if (!to) return body;
  // a "#part" of this page is a plain anchor, so the browser scrolls to it
  return to.startsWith("#") ? (
    <UnstyledButton component="a" href={to} style={{ display: "block" }}>
      {body}
    </UnstyledButton>
  ) : (
    <UnstyledButton component={Link} to={to} style={{ display: "block" }}>
      {body}
    </UnstyledButton>
  );
}

function Arrow() {
  return (
    <Box aria-hidden style={{ alignSelf: "center" }}>
      <svg width="36" height="16" viewBox="0 0 36 16">
        <line x1="0" y1="8" x2="28" y2="8" stroke="var(--mantine-color-gray-6)" strokeWidth="2" />
        <path d="M26 2 L35 8 L26 14 Z" fill="var(--mantine-color-gray-6)" />
      </svg>
    </Box>
  );
}

/**
 * The impulse as boxes and arrows: input → processing blocks → learning blocks. Processing
 * blocks open their own page (parameters and live preview); learning blocks open training.
 * `savedIds` ("id:type") are the stored processing blocks: only they have a page yet.
 */
export function ImpulseDiagram({
  projectId,
  cfg,
  savedIds,
  blocks,
}: {
  projectId: number;
  cfg: ImpulseConfig;
  savedIds: Set<string>;
  blocks: BlockCatalogue;
}) {
  const name = (list: { id: string; name: string }[], type: string) => list.find((b) => b.id === type)?.name ?? type;
  const inp = cfg.input;
  return (
    <section aria-label="Impulse block diagram">
      <Group align="stretch" gap="xs" wrap="wrap" data-testid="impulse-diagram">
        <Stack gap="xs" justify="center">
          <BlockBox
            kind="Input block"
            title="Time series"
            to="#impulse-input"
            action="(its settings below)"
            detail={
              <>
                {inp.axes.join(", ") || "no axes"} · {inp.frequency_hz} Hz
                <br />
                window {inp.window_size_ms} ms, every {inp.window_increase_ms} ms
              </>
            }
          />
        </Stack>
        <Arrow />
        <Stack gap="xs" justify="center">
          {cfg.processing.map((b) => {
            const title = name(blocks.processing, b.type);
            const linkable = savedIds.has(`${b.id}:${b.type}`);
            return (
              <BlockBox
                key={b.id}
                kind="Processing block"
                title={title}
                detail={`${b.id} · ${(b.axes ?? inp.axes).join(", ")}`}
                to={linkable ? `/projects/${projectId}/impulse/blocks/${encodeURIComponent(b.id)}` : undefined}
                action={linkable ? "(parameters and live preview)" : undefined}
                note={linkable ? undefined : "save the impulse to open this block"}
              />
            );
          })}
        </Stack>
        <Arrow />
        <Stack gap="xs" justify="center">
          {cfg.learning.map((b) => {
            const title = name(blocks.learning, b.type);
            return (
              <BlockBox
                key={b.id}
                kind="Learning block"
                title={title}
                detail={`${b.id} · from ${(b.inputs ?? cfg.processing.map((x) => x.id)).join(", ")}`}
                to={`/projects/${projectId}/training`}
                action="(training)"
              />
            );
          })}
        </Stack>
        <Arrow />
        <Stack gap="xs" justify="center">
          <Paper withBorder p="sm" radius="md" style={{ borderStyle: "dashed" }}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              Output
            </Text>
            <Text fw={600}>Results</Text>
            <Text size="xs">labels, scores, anomaly</Text>
          </Paper>
        </Stack>
      </Group>
    </section>
  );
}

import { Button, Card, Group, Menu, MultiSelect, Select, Stack, Text, Title } from "@mantine/core";
import { IconAdjustments, IconPlus, IconTrash } from "@tabler/icons-react";
import { Link } from "react-router";
import type { BlockCatalogue, BlockSpec, ImpulseConfig } from "../../client/domain";
import {
  addLearning,
  addProcessing,
  inputsOf,
  removeLearning,
  removeProcessing,
  replaceLearning,
  replaceProcessing,
} from "../../lib/impulseEdit";
import { BlockParamsForm } from "./BlockParamsForm";

type Edit = {
  cfg: ImpulseConfig;
  setCfg: (cfg: ImpulseConfig) => void;
  blocks: BlockCatalogue;
  readOnly: boolean;
};

function AddBlock({ label, specs, onAdd }: { label: string; specs: BlockSpec[]; onAdd: (s: BlockSpec) => void }) {
  return (
    <Menu position="bottom-start">
      <Menu.Target>
        <Button variant="light" leftSection={<IconPlus size={16} />}>
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {specs.map((s) => (
          <Menu.Item key={s.id} onClick={() => onAdd(s)}>
            {s.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function RemoveButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={onClick}>
      Remove {what}
    </Button>
  );
}

/** Each processing block: its type and parameters, a link to its own page once it is saved. */
export function ProcessingBlockCards({
  cfg,
  setCfg,
  blocks,
  readOnly,
  projectId,
  savedIds,
}: Edit & {
  projectId: number;
  savedIds: Set<string>;
}) {
  return (
    <Stack>
      {cfg.processing.map((proc, index) => {
        const spec = blocks.processing.find((b) => b.id === proc.type);
        const saved = savedIds.has(`${proc.id}:${proc.type}`);
        return (
          <Card withBorder key={`${index}-${proc.id}`}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h4">
                2. Processing block <i>{proc.id}</i>
              </Title>
              <Group gap="xs">
                {saved && (
                  <Button
                    size="xs"
                    variant="light"
                    component={Link}
                    to={`/projects/${projectId}/impulse/blocks/${encodeURIComponent(proc.id)}`}
                    leftSection={<IconAdjustments size={14} />}
                  >
                    Tune with live preview
                  </Button>
                )}
                {!readOnly && cfg.processing.length > 1 && (
                  <RemoveButton what={proc.id} onClick={() => setCfg(removeProcessing(cfg, proc.id))} />
                )}
              </Group>
            </Group>
            <Select
              label="Block"
              value={proc.type}
              allowDeselect={false}
              disabled={readOnly}
              mb="xs"
              data={blocks.processing.map((b) => ({ value: b.id, label: b.name }))}
              onChange={(id) => {
                const s = blocks.processing.find((b) => b.id === id);
                if (s) setCfg(replaceProcessing(cfg, index, s, blocks.learning));
              }}
            />
            <Text size="sm" c="dimmed" mb="sm">
              {spec?.description}
            </Text>
            {spec && (
              <BlockParamsForm
                params={spec.params}
                values={proc.params}
                disabled={readOnly}
                onChange={(params) =>
                  setCfg({ ...cfg, processing: cfg.processing.map((p, i) => (i === index ? { ...p, params } : p)) })
                }
              />
            )}
          </Card>
        );
      })}
      {!readOnly && (
        <Group>
          <AddBlock
            label="Add a processing block"
            specs={blocks.processing}
            onAdd={(s) => setCfg(addProcessing(cfg, s))}
          />
        </Group>
      )}
    </Stack>
  );
}

/** Each learning block: its type, which processing blocks feed it, and its parameters. */
export function LearningBlockCards({ cfg, setCfg, blocks, readOnly }: Edit) {
  const setLearning = (index: number, change: Partial<ImpulseConfig["learning"][number]>) =>
    setCfg({ ...cfg, learning: cfg.learning.map((l, i) => (i === index ? { ...l, ...change } : l)) });
  return (
    <Stack>
      {cfg.learning.map((learn, index) => {
        const spec = blocks.learning.find((b) => b.id === learn.type);
        return (
          <Card withBorder key={`${index}-${learn.id}`}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h4">
                3. Learning block <i>{learn.id}</i>
              </Title>
              {!readOnly && cfg.learning.length > 1 && (
                <RemoveButton what={learn.id} onClick={() => setCfg(removeLearning(cfg, learn.id))} />
              )}
            </Group>
            <Group align="flex-start" mb="xs">
              <Select
                label="Block"
                value={learn.type}
                allowDeselect={false}
                disabled={readOnly}
                w={360}
                data={blocks.learning.map((b) => ({ value: b.id, label: b.name }))}
                onChange={(id) => {
                  const s = blocks.learning.find((b) => b.id === id);
                  if (s) setCfg(replaceLearning(cfg, index, s));
                }}
              />
              {cfg.processing.length > 1 && (
                <MultiSelect
                  label="Learns from"
                  value={inputsOf(cfg, learn)}
                  disabled={readOnly}
                  miw={240}
                  data={cfg.processing.map((p) => p.id)}
                  onChange={(inputs) => inputs.length && setLearning(index, { inputs })}
                />
              )}
            </Group>
            <Text size="sm" c="dimmed" mb="sm">
              {spec?.description}
            </Text>
            {spec && (
              <BlockParamsForm
                params={spec.params}
                values={learn.params}
                disabled={readOnly}
                onChange={(params) => setLearning(index, { params })}
              />
            )}
          </Card>
        );
      })}
      {!readOnly && (
        <Group>
          <AddBlock label="Add a learning block" specs={blocks.learning} onAdd={(s) => setCfg(addLearning(cfg, s))} />
        </Group>
      )}
    </Stack>
  );
}

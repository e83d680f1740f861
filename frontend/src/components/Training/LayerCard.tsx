import { ActionIcon, Badge, Card, Group, NumberInput, Select, SimpleGrid, Text, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconGripVertical, IconTrash } from "@tabler/icons-react";
import { useState, type DragEvent } from "react";
import { shapeText, type Layer, type LayerCatalogue, type LayerError } from "./networkLayers";

type Props = {
  layer: Layer;
  index: number;
  count: number;
  catalogue: LayerCatalogue;
  shape?: number[];
  parameters?: number;
  error?: LayerError | null;
  disabled?: boolean;
  onChange: (layer: Layer) => void;
  onMove: (to: number) => void;
  /** The layer at `from` was dragged onto this one: it takes this one's place. */
  onDropFrom: (from: number) => void;
  onRemove: () => void;
};

// What a dragged layer card carries (its index), so drops from elsewhere are ignored.
const DRAG_TYPE = "application/x-tinyforge-layer";

/** One layer of the network: its settings, what comes out of it, and what is wrong with it. */
export function LayerCard({ layer, index, count, catalogue, shape, parameters, error, disabled, ...on }: Props) {
  const spec = catalogue.layers.find((l) => l.type === layer.type);
  const title = `${index + 1}. ${spec?.label ?? layer.type}`;
  // built-in pooling and dropout (of conv and dense layers) show only when used: presets, older
  // networks; new networks use pooling and dropout layers
  const fields = (spec?.fields ?? []).filter(
    (f) => !["pool", "dropout"].includes(f.name) || Number(layer[f.name] ?? f.default) !== (f.name === "pool" ? 1 : 0),
  );
  const set = (name: string, v: unknown) => on.onChange({ ...layer, [name]: v });
  // Dragging starts only from the grip (the card's inputs keep their own mouse handling); the
  // arrow buttons do the same from the keyboard.
  const [over, setOver] = useState(false);
  const ours = (e: DragEvent) => e.dataTransfer.types.includes(DRAG_TYPE);
  const border = error ? "var(--mantine-color-red-6)" : over ? "var(--mantine-color-teal-6)" : undefined;
  return (
    <Card
      withBorder
      padding="sm"
      component="li"
      aria-label={title}
      data-testid="layer-card"
      data-layer-type={layer.type}
      onDragOver={(e: DragEvent) => {
        if (disabled || !ours(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        setOver(false);
        if (disabled || !ours(e)) return;
        e.preventDefault();
        const from = Number(e.dataTransfer.getData(DRAG_TYPE));
        if (Number.isInteger(from) && from !== index) on.onDropFrom(from);
      }}
      style={border ? { borderColor: border, borderWidth: over ? 2 : undefined } : undefined}
    >
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs">
          {!disabled && (
            <Tooltip label="Drag to move">
              <span
                data-testid="layer-grip"
                draggable
                onDragStart={(e: DragEvent) => {
                  e.dataTransfer.setData(DRAG_TYPE, String(index));
                  e.dataTransfer.effectAllowed = "move";
                }}
                style={{ cursor: "grab", display: "inline-flex" }}
              >
                <IconGripVertical size={16} aria-hidden />
              </span>
            </Tooltip>
          )}
          <Text fw={600}>{title}</Text>
          <Badge variant="light" color="gray" tt="none" data-testid="layer-shape">
            out {shapeText(shape)}
          </Badge>
          <Badge variant="light" tt="none" data-testid="layer-params">
            {parameters ?? 0} parameters
          </Badge>
        </Group>
        {!disabled && (
          <Group gap={4} wrap="nowrap">
            <Tooltip label="Move up">
              <ActionIcon
                variant="subtle"
                aria-label={`Move layer ${index + 1} up`}
                disabled={index === 0}
                onClick={() => on.onMove(index - 1)}
              >
                <IconArrowUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Move down">
              <ActionIcon
                variant="subtle"
                aria-label={`Move layer ${index + 1} down`}
                disabled={index === count - 1}
                onClick={() => on.onMove(index + 1)}
              >
                <IconArrowDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Remove">
              <ActionIcon variant="subtle" color="red" aria-label={`Remove layer ${index + 1}`} onClick={on.onRemove}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        )}
      </Group>
      {fields.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} mt="xs">
          {fields.map((f) => {
            const value = layer[f.name] ?? f.default;
            const fieldError = error?.field === f.name; // the message is below the fields
            if (f.kind === "activation")
              return (
                <Select
                  key={f.name}
                  label={f.label}
                  title={f.help}
                  size="xs"
                  disabled={disabled}
                  data={catalogue.activations}
                  value={String(value)}
                  allowDeselect={false}
                  error={fieldError}
                  onChange={(v) => set(f.name, v)}
                />
              );
            return (
              <NumberInput
                key={f.name}
                label={f.label}
                title={f.help}
                size="xs"
                disabled={disabled}
                value={value as number}
                min={f.min}
                max={f.max}
                step={f.kind === "float" ? 0.05 : 1}
                allowDecimal={f.kind === "float"}
                error={fieldError}
                onChange={(v) => set(f.name, typeof v === "number" ? v : Number(v))}
              />
            );
          })}
        </SimpleGrid>
      )}
      {error && (
        <Text c="red.8" size="sm" mt="xs" role="alert" data-testid="layer-error">
          {error.message}
        </Text>
      )}
    </Card>
  );
}

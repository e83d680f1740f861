import { Alert, Button, Group, Menu, Stack, Switch, Text, Textarea } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import type { NetworkEstimate } from "../../hooks/useNetworkEstimate";
import { LayerCard } from "./LayerCard";
import {
  insertAt,
  move,
  newLayer,
  parseArchitecture,
  type Layer,
  type LayerCatalogue,
  type LayerError,
} from "./networkLayers";

type Props = {
  layers: Layer[];
  catalogue: LayerCatalogue;
  estimate: NetworkEstimate | null;
  invalid: LayerError | null;
  disabled?: boolean;
  onChange: (layers: Layer[]) => void;
  /** The expert mode's text is not a list of layers (null when it is, or in the visual editor). */
  onTextError: (error: string | null) => void;
};

/** The network as a list of layer cards (add, remove, reorder, settings), or as its JSON. */
export function NetworkEditor({ layers, catalogue, estimate, invalid, disabled, onChange, onTextError }: Props) {
  const [expert, setExpert] = useState(false);
  const [text, setText] = useState("");
  const [textError, setTextError] = useState<string | null>(null);
  const byIndex = new Map((estimate?.layers ?? []).map((l) => [l.index, l]));
  const output = byIndex.get(null);

  const toggle = (on: boolean) => {
    setExpert(on);
    setText(JSON.stringify(layers, null, 2));
    setTextError(null);
    onTextError(null);
  };
  const editText = (value: string) => {
    setText(value);
    const parsed = parseArchitecture(value);
    const error = "error" in parsed ? parsed.error : null;
    setTextError(error);
    onTextError(error);
    if ("layers" in parsed) onChange(parsed.layers);
  };
  const add = (type: string) => {
    const at = insertAt(layers, type);
    onChange([...layers.slice(0, at), newLayer(catalogue, type), ...layers.slice(at)]);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        {!disabled && !expert && (
          <Menu position="bottom-start" withinPortal withInitialFocusPlaceholder={false}>
            <Menu.Target>
              <Button
                leftSection={<IconPlus size={16} />}
                variant="light"
                disabled={layers.length >= catalogue.max_layers}
              >
                Add layer
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {catalogue.layers.map((l) => (
                <Menu.Item key={l.type} onClick={() => add(l.type)} title={l.help}>
                  {l.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
        <Switch
          label="Expert mode (edit the network as JSON)"
          checked={expert}
          disabled={expert && textError !== null}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
      </Group>
      {expert ? (
        <Textarea
          label="Network (JSON list of layers)"
          description="The same network as the cards; the output layer is added for you."
          autosize
          minRows={8}
          maxRows={24}
          spellCheck={false}
          styles={{ input: { fontFamily: "monospace" } }}
          value={text}
          disabled={disabled}
          error={textError ?? (invalid ? `Layer ${(invalid.index ?? 0) + 1}: ${invalid.message}` : undefined)}
          onChange={(e) => editText(e.currentTarget.value)}
        />
      ) : (
        <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Layers">
          <Text size="sm" c="dimmed" component="li">
            Input: {estimate ? `${estimate.input_features} features` : "the processing blocks' features"}
          </Text>
          {layers.map((layer, i) => (
            <LayerCard
              key={i}
              layer={layer}
              index={i}
              count={layers.length}
              catalogue={catalogue}
              shape={byIndex.get(i)?.output_shape}
              parameters={byIndex.get(i)?.parameters}
              error={invalid?.index === i ? invalid : null}
              disabled={disabled}
              onChange={(l) => onChange(layers.map((x, j) => (j === i ? l : x)))}
              onMove={(to) => onChange(move(layers, i, to))}
              onDropFrom={(from) => onChange(move(layers, from, i))}
              onRemove={() => onChange(layers.filter((_, j) => j !== i))}
            />
          ))}
          <Text size="sm" c="dimmed" component="li" data-testid="output-layer">
            Output layer (added for you):{" "}
            {output ? `${output.output_shape[0]} outputs, ${output.parameters} parameters` : "one per class"}
          </Text>
        </Stack>
      )}
      {invalid && invalid.index === null && (
        <Alert color="red" role="alert" data-testid="network-error">
          {invalid.message}
        </Alert>
      )}
    </Stack>
  );
}

import { Card, Group, SimpleGrid, Slider, Switch, Text } from "@mantine/core";
import type { Thresholds } from "../../lib/testMetrics";

/** The minimum confidence (below it a window is uncertain) and, with anomaly detection, the
 * anomaly score above which a window counts as an anomaly. Moving them recomputes the summary here. */
export function ThresholdControls({
  value,
  onChange,
  anomalyRange,
}: {
  value: Thresholds;
  onChange: (t: Thresholds) => void;
  anomalyRange: [number, number] | null;
}) {
  const [lo, hi] = anomalyRange ?? [0, 1];
  const step = Math.max((hi - lo) / 100, 0.001);
  return (
    <Card withBorder>
      <SimpleGrid cols={{ base: 1, sm: anomalyRange ? 2 : 1 }}>
        <div>
          <Group justify="space-between">
            <Text size="sm" fw={500} id="confidence-label">
              Minimum confidence
            </Text>
            <Text size="sm" data-testid="threshold-value">
              {value.threshold.toFixed(2)}
            </Text>
          </Group>
          <Slider
            aria-labelledby="confidence-label"
            thumbLabel="Minimum confidence"
            min={0}
            max={1}
            step={0.01}
            value={value.threshold}
            onChange={(threshold) => onChange({ ...value, threshold })}
            label={(v) => v.toFixed(2)}
            mt={4}
          />
          <Text size="xs" c="dimmed" mt={4}>
            A window whose best score is below this is uncertain (counted as wrong).
          </Text>
        </div>
        {anomalyRange && (
          <div>
            <Group justify="space-between">
              <Switch
                size="sm"
                label="Flag anomalies above"
                checked={value.anomalyThreshold !== null}
                onChange={(e) => onChange({ ...value, anomalyThreshold: e.currentTarget.checked ? 0 : null })}
              />
              <Text size="sm" data-testid="anomaly-threshold-value">
                {value.anomalyThreshold === null ? "off" : value.anomalyThreshold.toFixed(2)}
              </Text>
            </Group>
            <Slider
              thumbLabel="Anomaly threshold"
              disabled={value.anomalyThreshold === null}
              min={Math.min(lo, 0)}
              max={Math.max(hi, 0)}
              step={step}
              value={value.anomalyThreshold ?? 0}
              onChange={(anomalyThreshold) => onChange({ ...value, anomalyThreshold })}
              label={(v) => v.toFixed(2)}
              mt={4}
            />
            <Text size="xs" c="dimmed" mt={4}>
              Anomaly score: below 0 inside the clusters of the training data, above 0 outside.
            </Text>
          </div>
        )}
      </SimpleGrid>
    </Card>
  );
}

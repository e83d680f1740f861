import { Alert, Badge, Button, Card, Group, Text, Title } from "@mantine/core";
import { useSerialLiveDevice } from "../../hooks/useSerialLiveDevice";
import type { LineReader } from "../../lib/serialPort";

/** On the serial page: let the studio's live classification read this board. */
export function SerialLiveCard(props: {
  projectId: number;
  canConnect: boolean;
  reader: LineReader | null;
  frequency: number;
  axes: number;
}) {
  const live = useSerialLiveDevice(props.projectId, props.reader, props.frequency, props.axes);
  const on = live.state !== "off";
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Live classification
        </Title>
        {on && (
          <Badge variant="dot" color={live.state === "connected" ? "teal" : "gray"} data-testid="serial-live-state">
            {live.streaming ? "streaming" : live.state}
          </Badge>
        )}
      </Group>
      <Text size="sm" mb="sm">
        Make this board a device of the project: the Live classification page can then classify its readings as they
        arrive. Keep this page open.
      </Text>
      {on ? (
        <Button variant="light" onClick={live.disconnect}>
          Stop being a device
        </Button>
      ) : (
        <Button variant="light" onClick={live.connect} disabled={!props.canConnect}>
          Connect as a device
        </Button>
      )}
      {!props.canConnect && (
        <Text size="xs" c="dimmed" mt="xs">
          A project admin can connect the board as a device (it uses the project's phone key).
        </Text>
      )}
      {live.error && (
        <Alert color="red" mt="sm">
          {live.error}
        </Alert>
      )}
    </Card>
  );
}

import { Badge, Button, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { IconDeviceMobile, IconUsb } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { api, call } from "../client/api";
import { ConnectPhone } from "../components/Phone/ConnectPhone";
import { RecordFromDevice } from "../components/Data/RecordFromDevice";
import { PageHeader } from "../components/ui/PageHeader";
import { EmptyState, ErrorState, Loading } from "../components/ui/States";
import { useProject } from "../hooks/useProject";

export function useDevices(projectId: number, enabled = true) {
  return useQuery({
    queryKey: ["devices", projectId],
    enabled,
    queryFn: () => call(api.GET("/api/projects/{project_id}/devices", { params: { path: { project_id: projectId } } })),
  });
}

export function DevicesPage() {
  const p = useProject();
  const devices = useDevices(p.id);
  const [phoneOpen, setPhoneOpen] = useState(false);
  return (
    <Stack>
      <PageHeader
        title="Devices"
        description="Phones and boards connected to this project. They update live."
        actions={
          p.canEdit && (
            <>
              <Button leftSection={<IconDeviceMobile size={18} />} onClick={() => setPhoneOpen(true)}>
                Connect a phone
              </Button>
              <Button
                variant="light"
                component={Link}
                to={`/projects/${p.id}/serial`}
                leftSection={<IconUsb size={18} />}
              >
                Connect a board
              </Button>
            </>
          )
        }
      />
      <ConnectPhone opened={phoneOpen} onClose={() => setPhoneOpen(false)} />
      {devices.isPending && <Loading />}
      {devices.isError && <ErrorState error={devices.error} onRetry={() => devices.refetch()} />}
      {devices.data?.length === 0 && (
        <EmptyState title="No devices yet">
          Connect a phone (scan a QR code), a board over USB from this browser, or run <code>tinyforge forward</code>{" "}
          next to a board.
        </EmptyState>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {devices.data?.map((d) => (
          <Card key={d.device_id} withBorder data-testid="device-card">
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600} truncate>
                {d.name}
              </Text>
              <Badge color={d.connected ? "teal" : "gray"} variant="dot">
                {d.connected ? "online" : "offline"}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {d.device_type} · {d.device_id}
            </Text>
            <Text size="sm" mt="xs">
              {d.sensors.map((s) => `${s.name} (${s.frequencies.join("/")} Hz)`).join(", ") || "no sensors"}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              last seen {new Date(d.last_seen_at).toLocaleString()}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {p.canEdit && devices.data?.some((d) => d.connected) && <RecordFromDevice devices={devices.data} />}
    </Stack>
  );
}

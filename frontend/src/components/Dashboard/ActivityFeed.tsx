import { Card, Stack, Text, Timeline, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../client/api";
import { useProject } from "../../hooks/useProject";

/** Who did what, newest first; the server words each line ("alice relabeled 3 samples as wave"). */
export function ActivityFeed() {
  const p = useProject();
  const activity = useQuery({
    queryKey: ["activity", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/activity", { params: { path: { project_id: p.id } } })),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Activity
      </Title>
      {activity.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing happened yet. Invite your team or connect a device.
        </Text>
      )}
      <Timeline bulletSize={12} lineWidth={2} role="group" aria-label="Activity feed">
        {activity.data?.slice(0, 25).map((a) => (
          <Timeline.Item key={a.id}>
            <Stack gap={0}>
              <Text size="sm" data-testid="activity-line">
                <b>{a.actor_name}</b> {a.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {new Date(a.created_at).toLocaleString()}
              </Text>
            </Stack>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

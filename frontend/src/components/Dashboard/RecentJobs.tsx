import { Badge, Card, Group, Progress, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../client/api";
import { useProject } from "../../hooks/useProject";

const COLORS: Record<string, string> = {
  queued: "gray",
  running: "blue",
  succeeded: "teal",
  failed: "red",
  cancelled: "orange",
};

export function RecentJobs() {
  const p = useProject();
  const jobs = useQuery({
    queryKey: ["jobs", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/jobs", { params: { path: { project_id: p.id } } })),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Jobs
      </Title>
      {jobs.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No jobs yet. Generating features, training and building libraries run as jobs and show up here live.
        </Text>
      )}
      <Stack gap="xs" role="group" aria-label="Jobs">
        {jobs.data?.slice(0, 8).map((j) => (
          <div key={j.id}>
            <Group justify="space-between" gap="xs">
              <Text size="sm" fw={500} title={`job ${j.id} (${j.kind})`}>
                {j.title}
              </Text>
              <Badge size="sm" color={COLORS[j.status] ?? "gray"} variant="light">
                {j.status}
              </Badge>
            </Group>
            {j.status === "running" && (
              <Progress value={j.progress * 100} size="sm" mt={4} aria-label={`${j.title} progress`} animated />
            )}
            {j.error && (
              <Text size="xs" c="red">
                {j.error}
              </Text>
            )}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

import { Badge, Button, Card, Code, Group, Progress, ScrollArea, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../client/api";
import type { JobState } from "../../hooks/useJobStream";

const COLORS: Record<string, string> = {
  queued: "gray",
  running: "blue",
  succeeded: "teal",
  failed: "red",
  cancelled: "orange",
};

/** Progress bar, status and log of a running (or finished) job, with Cancel. Its title is the
 * server's words for the job when the stream has sent them, else `title`. */
export function JobProgress({ projectId, job, title }: { projectId: number; job: JobState; title?: string }) {
  const heading = job.title ?? title ?? "Job";
  const active = job.status === "queued" || job.status === "running";
  // A queued job that does not start: the server says why (no live worker serves its queue).
  const detail = useQuery({
    queryKey: ["job", projectId, job.id, "waiting"],
    enabled: job.status === "queued",
    refetchInterval: 5000,
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/jobs/{job_id}", {
          params: { path: { project_id: projectId, job_id: job.id } },
        }),
      ),
  });
  const waiting = job.status === "queued" ? detail.data?.waiting : null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} title={`job ${job.id}`}>
            {heading}
          </Text>
          <Group gap="xs">
            <Badge color={COLORS[job.status] ?? "gray"} variant="light" data-testid="job-status">
              {job.status}
            </Badge>
            {active && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() =>
                  api.POST("/api/projects/{project_id}/jobs/{job_id}/cancel", {
                    params: { path: { project_id: projectId, job_id: job.id } },
                  })
                }
              >
                Cancel
              </Button>
            )}
          </Group>
        </Group>
        <Progress value={job.progress * 100} animated={active} aria-label={`${heading} progress`} />
        {waiting && (
          <Text c="orange" size="sm" role="status" data-testid="job-waiting">
            {waiting}
          </Text>
        )}
        {job.error && (
          <Text c="red" size="sm" role="alert">
            {job.error}
          </Text>
        )}
        {job.lines.length > 0 && (
          <ScrollArea h={140} type="auto" aria-label="Job log">
            <Code block>{job.lines.slice(-200).join("\n")}</Code>
          </ScrollArea>
        )}
      </Stack>
    </Card>
  );
}

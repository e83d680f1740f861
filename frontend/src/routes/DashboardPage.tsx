import { Card, Grid, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../client/api";
import { useProject } from "../hooks/useProject";
import { PageHeader } from "../components/ui/PageHeader";
import { Members } from "../components/Dashboard/Members";
import { Invitations } from "../components/Dashboard/Invitations";
import { ApiKeys } from "../components/Dashboard/ApiKeys";
import { HmacKey } from "../components/Dashboard/HmacKey";
import { ActivityFeed } from "../components/Dashboard/ActivityFeed";
import { RecentJobs } from "../components/Dashboard/RecentJobs";
import { GuidedStart } from "../components/Dashboard/GuidedStart";

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Card withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

export function DashboardPage() {
  const p = useProject();
  const jobs = useQuery({
    queryKey: ["jobs", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/jobs", { params: { path: { project_id: p.id } } })),
  });
  const running = jobs.data?.filter((j) => j.status === "queued" || j.status === "running").length ?? 0;
  return (
    <Stack>
      <PageHeader
        title={p.name}
        description="Your project at a glance: the next step, the team, keys for devices, and what happened lately."
      />
      <GuidedStart />
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Your role" value={p.role} />
        <Stat label="Members" value={p.member_count} />
        <Stat label="Jobs running" value={running} />
        <Stat label="Created" value={new Date(p.created_at).toLocaleDateString()} />
      </SimpleGrid>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Members />
            {p.isAdmin && <Invitations />}
            {p.isAdmin && <ApiKeys />}
            {p.canEdit && <HmacKey />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            <RecentJobs />
            <ActivityFeed />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

import { Button, Card, Group, Stepper, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { IconArrowRight } from "@tabler/icons-react";
import { Link } from "react-router";
import { api, call } from "../../client/api";
import { useProject } from "../../hooks/useProject";
import { SampleProjectButton } from "./SampleProjectButton";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The path collect → impulse → features → train → test → deploy, where the project stands on it
 * (computed by the server from the project's data) and a button to the next step. */
export function GuidedStart() {
  const p = useProject();
  // Under "activity": every change writes an activity row, whose live event refreshes this too.
  const status = useQuery({
    queryKey: ["activity", p.id, "status"],
    queryFn: () => call(api.GET("/api/projects/{project_id}/status", { params: { path: { project_id: p.id } } })),
  });
  if (!status.data) return null;
  const { stages, next, samples } = status.data;
  const active = next ? stages.findIndex((s) => s.key === next.key) : stages.length;
  const empty = Object.values(samples).every((perLabel) => Object.keys(perLabel).length === 0);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="md">
        From data to a device
      </Title>
      <Stepper active={active} size="xs" wrap={false} allowNextStepsSelect={false} aria-label="Project progress">
        {stages.map((s) => (
          <Stepper.Step key={s.key} label={s.title} description={s.detail} data-testid={`stage-${s.key}`} />
        ))}
      </Stepper>
      <Group mt="md" gap="sm" data-testid="next-step">
        {next ? (
          <>
            <Text fw={600}>Next: {lowerFirst(next.title)}</Text>
            <Button component={Link} to={`/projects/${p.id}/${next.page}`} rightSection={<IconArrowRight size={16} />}>
              {next.action}
            </Button>
            {next.key === "collect" && empty && p.canEdit && (
              <>
                <Text size="sm" c="dimmed">
                  or try it with ready-made data:
                </Text>
                <SampleProjectButton projectId={p.id} />
              </>
            )}
          </>
        ) : (
          <Text fw={600}>All done: the model is trained, tested and built. Collect more data to improve it.</Text>
        )}
      </Group>
    </Card>
  );
}

import { Alert, List, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../client/api";

type Health = Schemas["HealthReport"];
const POLL_MS = 15_000;

/** The studio's health (GET /api/health): undefined while unknown, null when the server cannot be reached. */
async function fetchHealth(): Promise<Health | null> {
  try {
    const { data, error } = await api.GET("/api/health");
    return data ?? (error as Health | undefined) ?? null;
  } catch {
    return null;
  }
}

/** A banner across every page while the studio is degraded (no worker for a queue, broker or events
 * down), saying why, so a job that waits or a preview that times out is never a mystery. */
export function HealthBanner() {
  const { data: health, isFetched } = useQuery({
    queryKey: ["health"],
    queryFn: fetchHealth,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
    retry: false,
  });
  if (!isFetched || health?.status === "ok") return null;
  const problems = health?.problems?.length
    ? health.problems
    : ["The server cannot be reached; check that TinyForge is running."];
  return (
    <Alert
      color="yellow"
      icon={<IconAlertTriangle />}
      title="The studio is degraded"
      role="status"
      radius={0}
      data-testid="health-banner"
    >
      {problems.length === 1 ? (
        <Text size="sm">{capitalize(problems[0])}</Text>
      ) : (
        <List size="sm">
          {problems.map((p) => (
            <List.Item key={p}>{capitalize(p)}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

import { Card, Group, Select, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../client/api";
import { ErrorState, Loading } from "../ui/States";
import type { VersionSummary } from "./format";
import { ImpulseChangesView } from "./ImpulseChangesView";
import { SampleChangesView } from "./SampleChangesView";

/** Compare two versions (the previous and the newest to start with). */
export function VersionDiffCard({ projectId, versions }: { projectId: number; versions: VersionSummary[] }) {
  const [from, setFrom] = useState<string | null>(versions[1] ? String(versions[1].id) : null);
  const [to, setTo] = useState<string | null>(versions[0] ? String(versions[0].id) : null);
  const options = versions.map((v) => ({
    value: String(v.id),
    label: `${v.name}${v.description ? ` · ${v.description}` : ""}`,
  }));
  const diff = useQuery({
    queryKey: ["version-diff", projectId, from, to],
    enabled: !!from && !!to,
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/versions/{version_id}/diff/{other_version_id}", {
          params: { path: { project_id: projectId, version_id: Number(from), other_version_id: Number(to) } },
        }),
      ),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Compare versions
      </Title>
      <Group align="flex-end" mb="md">
        <Select label="From" data={options} value={from} onChange={setFrom} allowDeselect={false} w={260} />
        <Select label="To" data={options} value={to} onChange={setTo} allowDeselect={false} w={260} />
      </Group>
      {diff.isPending && <Loading label="Comparing" />}
      {diff.isError && <ErrorState error={diff.error} />}
      {diff.data && (
        <Stack data-testid="version-diff">
          <Text size="sm" fw={600}>
            Samples, v{diff.data.from_version} → v{diff.data.to_version}
          </Text>
          <SampleChangesView samples={diff.data.samples} />
          <Text size="sm" fw={600}>
            Impulses
          </Text>
          {diff.data.impulses.length === 0 && (
            <Text size="sm" c="dimmed">
              Neither version has an impulse.
            </Text>
          )}
          {diff.data.impulses.map((c) => (
            <ImpulseChangesView key={c.impulse_id} change={c} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

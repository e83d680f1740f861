import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../client/api";
import { CandidateTable } from "../components/Tuner/CandidateTable";
import { StartRunForm } from "../components/Tuner/StartRunForm";
import { TunerScatter } from "../components/Tuner/TunerScatter";
import type { Candidate } from "../components/Tuner/pareto";
import { StagePage } from "../components/ui/StagePage";
import { useProject } from "../hooks/useProject";

type Run = Schemas["TunerRunDetail"];

function Tuner() {
  const p = useProject();
  const qc = useQueryClient();
  const path = { project_id: p.id };
  const [chosen, setChosen] = useState<number | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  // "tuner.*" project events make these queries stale, so the table follows the workers live.
  const runs = useQuery({
    queryKey: ["tuner", p.id, "runs"],
    queryFn: () => call(api.GET("/api/projects/{project_id}/tuner/runs", { params: { path } })),
  });
  const runId = chosen ?? runs.data?.[0]?.id ?? null;
  const run = useQuery({
    queryKey: ["tuner", p.id, runId],
    enabled: runId != null,
    queryFn: async () =>
      (await call(
        api.GET("/api/projects/{project_id}/tuner/runs/{run_id}", { params: { path: { ...path, run_id: runId! } } }),
      )) as Run,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ["tuner", p.id] });
  const start = useMutation({
    mutationFn: async (body: Schemas["TunerRunCreate"]) =>
      (await call(api.POST("/api/projects/{project_id}/tuner/runs", { params: { path }, body }))) as Run,
    onSuccess: (r) => {
      setChosen(r.id);
      refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: async () =>
      call(
        api.POST("/api/projects/{project_id}/tuner/runs/{run_id}/cancel", {
          params: { path: { ...path, run_id: runId! } },
        }),
      ),
    onSuccess: refresh,
  });
  const apply = useMutation({
    mutationFn: async (c: Candidate) =>
      call(
        api.POST("/api/projects/{project_id}/tuner/runs/{run_id}/candidates/{candidate_id}/apply", {
          params: { path: { ...path, run_id: runId!, candidate_id: c.id } },
          body: { name: null },
        }),
      ),
    onSuccess: (imp) => setApplied(`Created impulse “${imp.name}”: train it on the Training page.`),
  });
  const r = run.data;
  return (
    <Stack>
      {p.canEdit && <StartRunForm onStart={(b) => start.mutate(b)} pending={start.isPending} error={start.error} />}
      {!!runs.data?.length && (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Group>
              <Title order={3} size="h4">
                Run
              </Title>
              <Select
                aria-label="Tuner run"
                value={runId ? String(runId) : null}
                onChange={(v) => setChosen(v ? Number(v) : null)}
                data={runs.data.map((x) => ({ value: String(x.id), label: `#${x.id} · ${x.preset} · ${x.status}` }))}
              />
              {r && (
                <Badge color={r.status === "succeeded" ? "teal" : r.status === "running" ? "blue" : "gray"}>
                  {r.status} · round {r.round}/{r.schedule.length}
                </Badge>
              )}
            </Group>
            {p.canEdit && r?.status === "running" && (
              <Button color="red" variant="light" onClick={() => cancel.mutate()} loading={cancel.isPending}>
                Cancel
              </Button>
            )}
          </Group>
          {applied && (
            <Alert color="teal" mb="sm">
              {applied}
            </Alert>
          )}
          {(apply.isError || cancel.isError) && (
            <Alert color="red" mb="sm">
              {errorText(apply.error ?? cancel.error)}
            </Alert>
          )}
          {r && (
            <>
              <TunerScatter candidates={r.candidates} />
              <Text size="xs" c="dimmed">
                Orange: the Pareto front (no other candidate is both more accurate and faster); grey: over your limits.
              </Text>
              <CandidateTable
                candidates={r.candidates}
                best={r.best_candidate_id}
                canApply={p.canEdit}
                onApply={(c) => apply.mutate(c)}
              />
            </>
          )}
        </Card>
      )}
    </Stack>
  );
}

export function TunerPage() {
  return (
    <StagePage
      title="Tuner"
      empty=""
      description="Search impulse configurations (DSP and network) across the workers, ranked by test accuracy and by their cost on the device."
    >
      <Tuner />
    </StagePage>
  );
}

import { Alert, Button, Card, Group, Stack, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconCopy, IconDeviceFloppy, IconDownload } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api, call, errorText } from "../client/api";
import { VersionDiffCard } from "../components/Versions/VersionDiffCard";
import { VersionTable } from "../components/Versions/VersionTable";
import type { VersionSummary } from "../components/Versions/format";
import { PageHeader } from "../components/ui/PageHeader";
import { EmptyState, ErrorState, Loading } from "../components/ui/States";
import { useProject } from "../hooks/useProject";

function SaveVersion({ projectId }: { projectId: number }) {
  const qc = useQueryClient();
  const [description, setDescription] = useState("");
  const save = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/versions", {
          params: { path: { project_id: projectId } },
          body: { description },
        }),
      ),
    onSuccess: (v) => {
      setDescription("");
      notifications.show({ color: "teal", message: `Saved ${v.name}` });
      qc.invalidateQueries({ queryKey: ["versions", projectId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Save a version">
      <Title order={3} size="h4" mb="xs">
        Save a version
      </Title>
      <Group align="flex-end">
        <Textarea
          label="Description"
          placeholder="What changed: new data, a relabel, a bigger window…"
          value={description}
          maxLength={2000}
          autosize
          minRows={1}
          onChange={(e) => setDescription(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 260 }}
        />
        <Button type="submit" loading={save.isPending} leftSection={<IconDeviceFloppy size={18} />}>
          Save a version
        </Button>
      </Group>
      {save.isError && (
        <Alert color="red" mt="sm">
          {errorText(save.error)}
        </Alert>
      )}
    </Card>
  );
}

export function VersionsPage() {
  const p = useProject();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const path = { project_id: p.id };
  const versions = useQuery({
    queryKey: ["versions", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/versions", { params: { path } })),
  });
  const opened = (project: { id: number; name: string }, what: string) => {
    qc.invalidateQueries({ queryKey: ["projects"] });
    notifications.show({ color: "teal", message: `${what}: ${project.name}` });
    navigate(`/projects/${project.id}`);
  };
  const restore = useMutation({
    mutationFn: (v: VersionSummary) =>
      call(
        api.POST("/api/projects/{project_id}/versions/{version_id}/restore", {
          params: { path: { ...path, version_id: v.id } },
          body: {},
        }),
      ),
    onSuccess: (project) => opened(project, "Restored into a new project"),
  });
  const clone = useMutation({
    mutationFn: () => call(api.POST("/api/projects/{project_id}/clone", { params: { path }, body: {} })),
    onSuccess: (project) => opened(project, "Cloned"),
  });
  const failure = restore.error ?? clone.error;
  return (
    <Stack>
      <PageHeader
        title="Versions"
        description="Saved states of this project: its data (labels, categories, enabled flags), impulses, trained models and builds. Compare two, restore one into a new project, or share one read-only."
        actions={
          <>
            <Button
              variant="light"
              component="a"
              href={`/api/projects/${p.id}/export`}
              download
              leftSection={<IconDownload size={18} />}
            >
              Export project
            </Button>
            {p.canEdit && (
              <Button
                variant="light"
                onClick={() => clone.mutate()}
                loading={clone.isPending}
                leftSection={<IconCopy size={18} />}
              >
                Clone this project
              </Button>
            )}
          </>
        }
      />
      {failure && <Alert color="red">{errorText(failure)}</Alert>}
      {p.canEdit && <SaveVersion projectId={p.id} />}
      {versions.isPending && <Loading />}
      {versions.isError && <ErrorState error={versions.error} onRetry={() => versions.refetch()} />}
      {versions.data?.length === 0 && (
        <EmptyState title="No versions yet">
          Save a version before a big change (new data, a relabel, another network) to compare and come back to it.
        </EmptyState>
      )}
      {!!versions.data?.length && (
        <Card withBorder>
          <VersionTable
            projectId={p.id}
            versions={versions.data}
            canEdit={p.canEdit}
            onRestore={(v) => restore.mutate(v)}
            restoring={restore.isPending ? (restore.variables?.id ?? null) : null}
          />
        </Card>
      )}
      {versions.data && versions.data.length >= 2 && <VersionDiffCard projectId={p.id} versions={versions.data} />}
    </Stack>
  );
}

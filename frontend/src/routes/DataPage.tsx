import { Button, Card, Checkbox, Grid, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { api, call, errorText, type Schemas } from "../client/api";
import { DatasetSummaryCard } from "../components/Data/DatasetSummaryCard";
import { SampleViewer } from "../components/Data/SampleViewer";
import { UploadDialog } from "../components/Data/UploadDialog";
import { PageHeader } from "../components/ui/PageHeader";
import { EmptyState, ErrorState, Loading, NextStep } from "../components/ui/States";
import { useProject } from "../hooks/useProject";

type Category = Schemas["BulkUpdate"]["category"];

export function DataPage() {
  const p = useProject();
  const qc = useQueryClient();
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<number[]>([]);
  const [viewing, setViewing] = useState<number | null>(null);
  const [uploading, setUploading] = useState(false);
  const [newLabel, setNewLabel] = useState("");
  const path = { project_id: p.id };
  const samples = useQuery({
    queryKey: ["samples", p.id, category, search],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: {
            path,
            query: { limit: 200, category: (category ?? undefined) as Category, search: search || undefined },
          },
        }),
      ),
  });
  const summary = useQuery({
    queryKey: ["dataset", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/samples/summary", { params: { path } })),
  });
  const bulk = useMutation({
    mutationFn: ({
      action,
      body,
    }: {
      action: "bulk-update" | "bulk-delete";
      body: { label?: string; category?: Category };
    }) =>
      action === "bulk-delete"
        ? call(
            api.POST("/api/projects/{project_id}/samples/bulk-delete", { params: { path }, body: { ids: selected } }),
          )
        : call(
            api.POST("/api/projects/{project_id}/samples/bulk-update", {
              params: { path },
              body: { ids: selected, ...body },
            }),
          ),
    onSuccess: () => {
      setSelected([]);
      qc.invalidateQueries({ predicate: (q) => ["samples", "dataset"].includes(String(q.queryKey[0])) });
    },
  });
  const items = samples.data?.items ?? [];
  // An empty list under a filter is not an empty project: say which, and offer the way back.
  const noMatch = Boolean(category || search) && (summary.data?.total ?? 1) > 0;
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <Stack>
      <PageHeader
        title="Data acquisition"
        description="Every sample of the project. Record from a device, upload files, or connect a board over USB."
        actions={
          p.canEdit && (
            <>
              <Button leftSection={<IconUpload size={18} />} onClick={() => setUploading(true)}>
                Upload data
              </Button>
              <Button variant="light" component={Link} to={`/projects/${p.id}/devices`}>
                Record new data
              </Button>
            </>
          )
        }
      />
      <UploadDialog opened={uploading} onClose={() => setUploading(false)} />
      <SampleViewer sampleId={viewing} onClose={() => setViewing(null)} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder>
            <Group mb="sm" align="flex-end">
              <Select
                label="Category"
                placeholder="all"
                clearable
                value={category}
                onChange={setCategory}
                w={150}
                data={["training", "testing", "anomaly"]}
              />
              <TextInput
                label="Search names"
                value={search}
                onChange={(e) => setSearch(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
            </Group>
            {p.canEdit && selected.length > 0 && (
              <Group mb="sm" gap="xs" aria-label="Bulk actions">
                <Text size="sm">{selected.length} selected:</Text>
                <TextInput
                  size="xs"
                  placeholder="new label"
                  aria-label="New label"
                  value={newLabel}
                  onChange={(e) => setNewLabel(e.currentTarget.value)}
                />
                <Button
                  size="xs"
                  disabled={!newLabel}
                  onClick={() => bulk.mutate({ action: "bulk-update", body: { label: newLabel } })}
                >
                  Relabel
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => bulk.mutate({ action: "bulk-update", body: { category: "training" } })}
                >
                  Move to training
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => bulk.mutate({ action: "bulk-update", body: { category: "testing" } })}
                >
                  Move to testing
                </Button>
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  onClick={() =>
                    confirm(`Delete ${selected.length} samples?`) && bulk.mutate({ action: "bulk-delete", body: {} })
                  }
                >
                  Delete
                </Button>
              </Group>
            )}
            {bulk.isError && (
              <Text c="red" size="sm">
                {errorText(bulk.error)}
              </Text>
            )}
            {samples.isPending && <Loading />}
            {samples.isError && <ErrorState error={samples.error} />}
            {samples.data && items.length === 0 && noMatch && (
              <EmptyState
                title="No sample matches this filter"
                action={
                  <Button
                    variant="light"
                    mt="xs"
                    onClick={() => {
                      setCategory(null);
                      setSearch("");
                    }}
                  >
                    Clear the filter
                  </Button>
                }
              >
                {summary.data
                  ? `The project has ${summary.data.total} sample${summary.data.total === 1 ? "" : "s"}, but none `
                  : "No sample "}
                {[category && `in ${category}`, search && `named like “${search}”`].filter(Boolean).join(" and ")}.
              </EmptyState>
            )}
            {samples.data && items.length === 0 && !noMatch && (
              <EmptyState
                title="No samples here yet"
                action={p.canEdit && <NextStep to={`/projects/${p.id}/devices`}>Connect a phone</NextStep>}
              >
                Connect a phone on the Devices page and record, or upload CSV, WAV or JSON files.
              </EmptyState>
            )}
            {items.length > 0 && (
              <Table.ScrollContainer minWidth={560}>
                <Table highlightOnHover aria-label="Samples">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={32}>
                        <Checkbox
                          aria-label="Select all"
                          checked={selected.length === items.length}
                          onChange={(e) => setSelected(e.currentTarget.checked ? items.map((s) => s.id) : [])}
                        />
                      </Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Label</Table.Th>
                      <Table.Th>Category</Table.Th>
                      <Table.Th>Length</Table.Th>
                      <Table.Th>Added</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((s) => (
                      <Table.Tr key={s.id} data-testid="sample-row">
                        <Table.Td>
                          <Checkbox
                            aria-label={`Select ${s.name}`}
                            checked={selected.includes(s.id)}
                            onChange={() => toggle(s.id)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Button variant="subtle" size="compact-sm" onClick={() => setViewing(s.id)}>
                            {s.name}
                          </Button>
                        </Table.Td>
                        <Table.Td>
                          {s.label || (
                            <Text span c="dimmed" size="sm">
                              unlabeled
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{s.category}</Table.Td>
                        <Table.Td>{(s.length_ms / 1000).toFixed(1)} s</Table.Td>
                        <Table.Td>
                          <Text size="xs">{new Date(s.created_at).toLocaleString()}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>{summary.data && <DatasetSummaryCard summary={summary.data} />}</Grid.Col>
      </Grid>
    </Stack>
  );
}

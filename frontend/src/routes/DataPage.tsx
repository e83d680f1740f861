import { Button, Card, Grid, Group, Stack, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { api, call, errorText, type Schemas } from "../client/api";
import { DatasetSummaryCard } from "../components/Data/DatasetSummaryCard";
import { DurationTotals } from "../components/Data/DurationTotals";
import { SampleFilterBar } from "../components/Data/SampleFilterBar";
import { SampleTable } from "../components/Data/SampleTable";
import { SampleViewer } from "../components/Data/SampleViewer";
import { UploadDialog } from "../components/Data/UploadDialog";
import { describeFilters, filterQuery, isFiltered, useSampleFilters } from "../components/Data/sampleFilters";
import { PageHeader } from "../components/ui/PageHeader";
import { EmptyState, ErrorState, Loading, NextStep } from "../components/ui/States";
import { useProject } from "../hooks/useProject";

type Category = Schemas["BulkUpdate"]["category"];
const PAGE_SIZE = 100;

export function DataPage() {
  const p = useProject();
  const qc = useQueryClient();
  const [filters, setFilters] = useSampleFilters();
  // Keyset paging: the cursors of the pages before this one (empty on the first page).
  const [cursors, setCursors] = useState<number[]>([]);
  const [selected, setSelected] = useState<number[]>([]);
  const [viewing, setViewing] = useState<number | null>(null);
  const [uploading, setUploading] = useState(false);
  const [newLabel, setNewLabel] = useState("");
  const path = { project_id: p.id };
  const cursor = cursors.at(-1);
  const changeFilters = (change: Parameters<typeof setFilters>[0]) => {
    setCursors([]);
    setSelected([]);
    setFilters(change);
  };
  const samples = useQuery({
    queryKey: ["samples", p.id, filters, cursor],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples", {
          params: { path, query: { limit: PAGE_SIZE, include_total: true, cursor, ...filterQuery(filters) } },
        }),
      ),
    placeholderData: keepPreviousData,
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
  const total = samples.data?.total ?? 0;
  const first = cursors.length * PAGE_SIZE;
  // An empty list under a filter is not an empty project: say which, and offer the way back.
  const noMatch = isFiltered(filters) && (summary.data?.total ?? 1) > 0;
  const labels = [...new Set(summary.data?.per_label.map((r) => r.label) ?? [])].sort();
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
            <SampleFilterBar projectId={p.id} labels={labels} filters={filters} onChange={changeFilters} />
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
                {(["training", "testing"] as const).map((c) => (
                  <Button
                    key={c}
                    size="xs"
                    variant="light"
                    onClick={() => bulk.mutate({ action: "bulk-update", body: { category: c } })}
                  >
                    Move to {c}
                  </Button>
                ))}
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
                    onClick={() =>
                      changeFilters({ labels: [], category: null, enabled: null, metadata: [], search: "" })
                    }
                  >
                    Clear the filter
                  </Button>
                }
              >
                {summary.data
                  ? `The project has ${summary.data.total} sample${summary.data.total === 1 ? "" : "s"}, but none `
                  : "No sample "}
                {describeFilters(filters)}.
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
              <>
                <SampleTable
                  projectId={p.id}
                  items={items}
                  selected={selected}
                  onSelect={setSelected}
                  onOpen={setViewing}
                  canEdit={p.canEdit}
                />
                <Group justify="space-between" mt="sm" aria-label="Pages">
                  <Text size="sm" aria-live="polite">
                    Samples {first + 1}–{first + items.length} of {total}
                  </Text>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="default"
                      disabled={!cursors.length}
                      onClick={() => setCursors((c) => c.slice(0, -1))}
                    >
                      Previous page
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      disabled={samples.data?.next_cursor == null}
                      onClick={() => setCursors((c) => [...c, samples.data!.next_cursor!])}
                    >
                      Next page
                    </Button>
                  </Group>
                </Group>
              </>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            {summary.data && <DatasetSummaryCard summary={summary.data} />}
            {summary.data && summary.data.total > 0 && <DurationTotals summary={summary.data} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

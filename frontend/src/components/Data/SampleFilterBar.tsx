import { Group, MultiSelect, Pill, Select, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../client/api";
import type { SampleFilters } from "./sampleFilters";

/** Label (several), category, enabled, metadata key = value and name search. */
export function SampleFilterBar({
  projectId,
  labels,
  filters,
  onChange,
}: {
  projectId: number;
  labels: string[];
  filters: SampleFilters;
  onChange: (change: Partial<SampleFilters>) => void;
}) {
  const [key, setKey] = useState<string | null>(null);
  const metadata = useQuery({
    queryKey: ["samples", projectId, "metadata"],
    queryFn: () =>
      call(api.GET("/api/projects/{project_id}/samples/metadata", { params: { path: { project_id: projectId } } })),
  });
  const keys = metadata.data?.keys ?? [];
  const values = keys.find((k) => k.key === key)?.values ?? [];
  const addPair = (value: string | null) => {
    if (!key || value === null) return;
    const pair = `${key}=${value}`;
    const others = filters.metadata.filter((m) => !m.startsWith(`${key}=`));
    onChange({ metadata: [...others, pair] });
    setKey(null);
  };
  return (
    <>
      <Group mb="xs" align="flex-end" gap="sm">
        <MultiSelect
          label="Labels"
          placeholder={filters.labels.length ? undefined : "all"}
          data={[...new Set([...labels, ...filters.labels])].map((l) => ({ value: l, label: l || "(unlabeled)" }))}
          value={filters.labels}
          onChange={(v) => onChange({ labels: v })}
          clearable
          searchable
          w={220}
        />
        <Select
          label="Category"
          placeholder="all"
          clearable
          value={filters.category}
          onChange={(v) => onChange({ category: v })}
          w={130}
          data={["training", "testing", "anomaly"]}
        />
        <Select
          label="Enabled"
          placeholder="all"
          clearable
          value={filters.enabled}
          onChange={(v) => onChange({ enabled: v as SampleFilters["enabled"] })}
          w={120}
          data={[
            { value: "enabled", label: "enabled" },
            { value: "disabled", label: "disabled" },
          ]}
        />
        <TextInput
          label="Search names"
          value={filters.search}
          onChange={(e) => onChange({ search: e.currentTarget.value })}
          style={{ flex: 1, minWidth: 140 }}
        />
      </Group>
      {keys.length > 0 && (
        <Group mb="sm" align="flex-end" gap="sm">
          <Select
            label="Metadata"
            placeholder="key"
            value={key}
            onChange={setKey}
            data={keys.map((k) => k.key)}
            searchable
            w={160}
          />
          <Select
            label="Value"
            placeholder={key ? "choose a value" : "choose a key first"}
            disabled={!key}
            value={null}
            onChange={addPair}
            data={values.map((v) => ({ value: v.value, label: `${v.value} (${v.count})` }))}
            searchable
            w={200}
          />
          <Pill.Group role="group" aria-label="Metadata filters">
            {filters.metadata.map((m) => (
              <Pill
                key={m}
                withRemoveButton
                removeButtonProps={{ "aria-label": `Remove filter ${m}` }}
                onRemove={() => onChange({ metadata: filters.metadata.filter((x) => x !== m) })}
              >
                {m.replace("=", " = ")}
              </Pill>
            ))}
          </Pill.Group>
        </Group>
      )}
    </>
  );
}

import { useSearchParams } from "react-router";
import type { Schemas } from "../../client/api";

type Category = Schemas["BulkUpdate"]["category"];

/** The data page's filters, kept in the URL so a link reproduces the view. */
export interface SampleFilters {
  labels: string[];
  category: string | null;
  enabled: "enabled" | "disabled" | null;
  metadata: string[]; // "key=value"
  search: string;
}

export function useSampleFilters(): [SampleFilters, (change: Partial<SampleFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const enabled = params.get("enabled");
  const filters: SampleFilters = {
    labels: params.getAll("label"),
    category: params.get("category"),
    enabled: enabled === "enabled" || enabled === "disabled" ? enabled : null,
    metadata: params.getAll("meta"),
    search: params.get("q") ?? "",
  };
  const update = (change: Partial<SampleFilters>) => {
    const next = { ...filters, ...change };
    const out = new URLSearchParams();
    next.labels.forEach((l) => out.append("label", l));
    if (next.category) out.set("category", next.category);
    if (next.enabled) out.set("enabled", next.enabled);
    next.metadata.forEach((m) => out.append("meta", m));
    if (next.search) out.set("q", next.search);
    setParams(out, { replace: true });
  };
  return [filters, update];
}

export const isFiltered = (f: SampleFilters) =>
  f.labels.length > 0 || Boolean(f.category) || Boolean(f.enabled) || f.metadata.length > 0 || Boolean(f.search);

/** The list endpoint's query for these filters. */
export function filterQuery(f: SampleFilters) {
  return {
    label: f.labels.length ? f.labels : undefined,
    category: (f.category ?? undefined) as Category,
    enabled: f.enabled ? f.enabled === "enabled" : undefined,
    metadata: f.metadata.length ? f.metadata : undefined,
    search: f.search || undefined,
  };
}

/** In words, for "none matches ...". */
export function describeFilters(f: SampleFilters): string {
  return [
    f.labels.length && `labeled ${f.labels.map((l) => l || "(unlabeled)").join(" or ")}`,
    f.category && `in ${f.category}`,
    f.enabled && `${f.enabled}`,
    f.metadata.length && `with ${f.metadata.join(", ")}`,
    f.search && `named like “${f.search}”`,
  ]
    .filter(Boolean)
    .join(" and ");
}

// Which parts of the API this server has: pages for features that have not landed show an empty state.
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./api";

type Spec = { paths: Record<string, Record<string, unknown>> };

export function useApiPaths() {
  return useQuery({
    queryKey: ["openapi"],
    queryFn: () => fetchJson<Spec>("/api/openapi.json"),
    staleTime: Infinity,
    select: (spec) => Object.keys(spec.paths),
  });
}

/** True when some route of the server starts with `prefix` (e.g. "/api/projects/{project_id}/samples"). */
export function hasRoute(paths: string[] | undefined, prefix: string): boolean {
  return !!paths?.some((p) => p.startsWith(prefix));
}

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "../client/api";
import type { BlockCatalogue, Impulse } from "../client/domain";

/** The project's impulse (the studio edits the first one; the API allows several). */
export function useImpulse(projectId: number) {
  const list = useQuery({ queryKey: ["impulses", projectId], queryFn: () => fetchJson<Impulse[]>(`/api/projects/${projectId}/impulses`) });
  return { ...list, impulse: list.data?.[0] ?? null };
}

export function useBlocks() {
  return useQuery({ queryKey: ["blocks"], queryFn: () => fetchJson<BlockCatalogue>("/api/blocks"), staleTime: Infinity });
}

export function defaultsOf(params: { name: string; default: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(params.map((p) => [p.name, p.default]));
}

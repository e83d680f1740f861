import { useQuery } from "@tanstack/react-query";
import { api, call } from "../client/api";
import type { BlockCatalogue, Impulse } from "../client/domain";

export async function listImpulses(projectId: number): Promise<Impulse[]> {
  return (await call(
    api.GET("/api/projects/{project_id}/impulses", { params: { path: { project_id: projectId } } }),
  )) as Impulse[];
}

export async function getImpulse(projectId: number, impulseId: number): Promise<Impulse> {
  const path = { project_id: projectId, impulse_id: impulseId };
  return (await call(api.GET("/api/projects/{project_id}/impulses/{impulse_id}", { params: { path } }))) as Impulse;
}

/** The project's impulse (the studio edits the first one; the API allows several). */
export function useImpulse(projectId: number) {
  const list = useQuery({ queryKey: ["impulses", projectId], queryFn: () => listImpulses(projectId) });
  return { ...list, impulse: list.data?.[0] ?? null };
}

export function useBlocks() {
  return useQuery({
    queryKey: ["blocks"],
    queryFn: async () => (await call(api.GET("/api/blocks"))) as unknown as BlockCatalogue,
    staleTime: Infinity,
  });
}

export { defaultsOf, learningDefaults } from "../lib/impulseEdit";

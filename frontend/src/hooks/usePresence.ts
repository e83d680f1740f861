import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, call } from "../client/api";

const BEAT_MS = 20_000;
// Each tab beats under its own id, so a reloaded page's late "leave" does not hide its successor.
const TAB = Math.random().toString(36).slice(2, 10);

/** Tell the server I am here every 20 s; the list of who is online comes back and via the stream. */
export function usePresence(projectId: number) {
  const qc = useQueryClient();
  useEffect(() => {
    let stopped = false;
    const beat = async () => {
      try {
        const online = await call(
          api.POST("/api/projects/{project_id}/presence", {
            params: { path: { project_id: projectId }, query: { tab: TAB } },
          }),
        );
        if (!stopped) qc.setQueryData(["presence", projectId], online);
      } catch {
        /* presence is best effort */
      }
    };
    beat();
    const timer = setInterval(beat, BEAT_MS);
    const leave = () => navigator.sendBeacon?.(`/api/projects/${projectId}/presence/leave?tab=${TAB}`);
    window.addEventListener("pagehide", leave);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener("pagehide", leave);
    };
  }, [projectId, qc]);
  return useQuery({
    queryKey: ["presence", projectId],
    queryFn: () =>
      call(api.GET("/api/projects/{project_id}/presence", { params: { path: { project_id: projectId } } })),
    refetchInterval: BEAT_MS * 2,
  });
}

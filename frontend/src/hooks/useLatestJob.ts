import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, fetchJson } from "../client/api";
import { useJobStream } from "./useJobStream";

/** The latest job of `kind` (e.g. "impulse.train"), its live stream, its stored result, and a way to start a new one. */
export function useLatestJob(projectId: number, kind: string, startUrl: string | null) {
  const qc = useQueryClient();
  const [started, setStarted] = useState<number | null>(null);
  const jobs = useQuery({ queryKey: ["jobs", projectId, kind],
    queryFn: () => call(api.GET("/api/projects/{project_id}/jobs", { params: { path: { project_id: projectId }, query: { kind, limit: 1 } } })) });
  const jobId = started ?? jobs.data?.[0]?.id ?? null;
  const live = useJobStream(projectId, jobId);
  const detail = useQuery({ queryKey: ["job", projectId, jobId, live?.status], enabled: !!jobId && live?.status === "succeeded",
    queryFn: () => call(api.GET("/api/projects/{project_id}/jobs/{job_id}", { params: { path: { project_id: projectId, job_id: jobId! } } })) });
  const start = useMutation({
    mutationFn: (body: object = {}) => fetchJson<{ id: number }>(startUrl!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    onSuccess: (job) => { setStarted(job.id); qc.invalidateQueries({ queryKey: ["jobs", projectId] }); },
  });
  return { live, result: detail.data?.result as Record<string, any> | null | undefined, start };
}

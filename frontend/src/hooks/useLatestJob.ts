import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, type Schemas } from "../client/api";
import { useJobStream } from "./useJobStream";
import type { JobResult } from "../client/domain";

/** The impulse job a page can start, and the impulse it runs on. */
export type JobStart = { impulseId: number; action: "features" | "feature-explorer" | "train" | "test" };
// Fields with server defaults may be left out, though the generated types mark them required.
type StartBody = Partial<
  Schemas["FeaturesStart"] & Schemas["TrainStart"] & Schemas["TestStart"] & Schemas["ExplorerStart"]
>;

function startJob(projectId: number, { impulseId, action }: JobStart, body: StartBody) {
  const params = { path: { project_id: projectId, impulse_id: impulseId } };
  switch (action) {
    case "features":
      return call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/features", {
          params,
          body: body as Schemas["FeaturesStart"],
        }),
      );
    case "feature-explorer":
      return call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/feature-explorer", {
          params,
          body: body as Schemas["ExplorerStart"],
        }),
      );
    case "train":
      return call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/train", {
          params,
          body: body as Schemas["TrainStart"],
        }),
      );
    case "test":
      return call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/test", {
          params,
          body: body as Schemas["TestStart"],
        }),
      );
  }
}

/** The latest job of `kind` (e.g. "impulse.train"), its live stream, its stored result, and a way to start a new one. */
export function useLatestJob(projectId: number, kind: string, starts: JobStart | null) {
  const qc = useQueryClient();
  const [started, setStarted] = useState<number | null>(null);
  const jobs = useQuery({
    queryKey: ["jobs", projectId, kind],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/jobs", {
          params: { path: { project_id: projectId }, query: { kind, limit: 1 } },
        }),
      ),
  });
  const jobId = started ?? jobs.data?.[0]?.id ?? null;
  const live = useJobStream(projectId, jobId);
  const detail = useQuery({
    queryKey: ["job", projectId, jobId, live?.status],
    enabled: !!jobId && live?.status === "succeeded",
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/jobs/{job_id}", {
          params: { path: { project_id: projectId, job_id: jobId! } },
        }),
      ),
  });
  const start = useMutation({
    mutationFn: (body: StartBody = {}) => startJob(projectId, starts!, body),
    onSuccess: (job) => {
      setStarted(job.id);
      qc.invalidateQueries({ queryKey: ["jobs", projectId] });
    },
  });
  return { live, result: detail.data?.result as JobResult | null | undefined, start };
}

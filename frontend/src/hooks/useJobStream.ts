import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { JobResult } from "../client/domain";

export type Epoch = {
  epoch: number;
  epochs: number;
  loss: number | null;
  accuracy: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
};
export type JobState = {
  id: number;
  kind: string;
  title?: string; // in words, from the server ("Building the Arduino library")
  status: string;
  progress: number;
  error: string | null;
  lines: string[];
  epochs: Epoch[];
};

const FINISHED = ["succeeded", "failed", "cancelled"];

/** A job's live state from its SSE stream: status, progress, log lines and training epochs. */
export function useJobStream(projectId: number, jobId: number | null | undefined): JobState | null {
  const qc = useQueryClient();
  const [state, setState] = useState<JobState | null>(null);
  useEffect(() => {
    setState(null);
    if (!jobId) return;
    const source = new EventSource(`/api/projects/${projectId}/jobs/${jobId}/events`, { withCredentials: true });
    const on = (name: string, fn: (ev: JobResult) => void) =>
      source.addEventListener(name, (m) => fn(JSON.parse((m as MessageEvent).data)));
    on("snapshot", (ev) =>
      setState({ ...ev.job, lines: (ev.job.logs ?? []).map((l: { line: string }) => l.line), epochs: [] }),
    );
    on("job", (ev) => setState((s) => s && { ...s, ...ev.job }));
    on("progress", (ev) =>
      setState((s) => s && { ...s, progress: ev.progress, lines: [...s.lines, ...(ev.lines ?? [])].slice(-400) }),
    );
    on("training.epoch", (ev) =>
      setState((s) => s && { ...s, epochs: [...s.epochs.filter((e) => e.epoch !== ev.epoch), ev as Epoch] }),
    );
    return () => source.close();
  }, [projectId, jobId]);
  const finished = !!state && FINISHED.includes(state.status);
  useEffect(() => {
    if (finished)
      qc.invalidateQueries({ predicate: (q) => ["jobs", "impulses", "job"].includes(String(q.queryKey[0])) });
  }, [finished, qc]);
  return state;
}

export const isFinished = (status?: string) => !!status && FINISHED.includes(status);

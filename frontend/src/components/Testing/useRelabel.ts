import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../client/api";

export type Relabel = { sampleId: number; from: string; to: string };

/** Relabel a sample from the label the test saw, refusing when someone changed it since (the sample
 * is read first, then patched); the last change can be undone the same way. */
export function useRelabel(projectId: number) {
  const qc = useQueryClient();
  const [last, setLast] = useState<Relabel | null>(null);
  // sample id -> its label now, for the samples relabeled here since the test (undone ones leave)
  const [changed, setChanged] = useState<Map<number, { original: string; now: string }>>(new Map());
  const mutation = useMutation({
    mutationFn: async (r: Relabel) => {
      const path = { project_id: projectId, sample_id: r.sampleId };
      const now = await call(
        api.GET("/api/projects/{project_id}/samples/{sample_id}", { params: { path, query: { max_points: 2 } } }),
      );
      if (now.label !== r.from)
        throw new Error(
          `This sample is labeled "${now.label || "unlabeled"}" now, not "${r.from}": someone changed it. Nothing was changed.`,
        );
      await call(
        api.PATCH("/api/projects/{project_id}/samples/{sample_id}", { params: { path }, body: { label: r.to } }),
      );
      return r;
    },
    onSuccess: (r) => {
      setLast((prev) => (prev && prev.sampleId === r.sampleId && prev.to === r.from && prev.from === r.to ? null : r));
      setChanged((prev) => {
        const next = new Map(prev);
        const original = prev.get(r.sampleId)?.original ?? r.from;
        if (original === r.to) next.delete(r.sampleId);
        else next.set(r.sampleId, { original, now: r.to });
        return next;
      });
      qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "samples" || q.queryKey[0] === "dataset" });
    },
  });
  const undo = () => last && mutation.mutate({ sampleId: last.sampleId, from: last.to, to: last.from });
  return { relabel: mutation.mutate, mutation, last, undo, changed };
}

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { PROJECT_EVENT_TYPES, staleQueryHeads, type ProjectEvent } from "../lib/projectEvents";

type Listener = (ev: ProjectEvent) => void;
const listeners = new Set<Listener>();

/** Listen to project events from anywhere below the project layout (e.g. device status changes). */
export function useProjectEventListener(fn: Listener) {
  useEffect(() => {
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, [fn]);
}

/** Subscribe to the project's event stream; cached lists become stale as others change them. */
export function useProjectEvents(projectId: number): boolean {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/projects/${projectId}/events`, { withCredentials: true });
    const onEvent = (msg: MessageEvent) => {
      let ev: ProjectEvent;
      try {
        ev = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (ev.type === "presence") qc.setQueryData(["presence", projectId], ev.online);
      for (const head of staleQueryHeads(ev)) {
        qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === head && q.queryKey[1] === projectId });
      }
      listeners.forEach((fn) => fn(ev));
    };
    source.onmessage = onEvent;
    // SSE frames are named by event type, and EventSource only delivers a name it listens to.
    PROJECT_EVENT_TYPES.forEach((t) => source.addEventListener(t, onEvent as EventListener));
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [projectId, qc]);
  return connected;
}

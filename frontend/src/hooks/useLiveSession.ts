import { useEffect, useState } from "react";
import type { Schemas } from "../client/api";

// replayed: sent again to a viewer who joined late (its time on screen says nothing about latency).
export type LiveResult = Schemas["LiveResult"] & { receivedTs: number; replayed?: boolean };
export type LiveSession = Schemas["LiveSessionPublic"];
const KEEP = 240; // two minutes of results at the default 0.5 s stride

type State = {
  session: LiveSession | null;
  results: LiveResult[];
  ended: string | null;
  problem: string | null;
  connected: boolean;
};
const EMPTY: State = { session: null, results: [], ended: null, problem: null, connected: false };

/** One device's live classification as the studio watches it: GET .../live/events (SSE). */
export function useLiveSession(projectId: number, deviceId: string | null): State {
  const [state, setState] = useState<State>(EMPTY);
  useEffect(() => {
    setState(EMPTY);
    if (!deviceId) return;
    const url = `/api/projects/${projectId}/devices/${encodeURIComponent(deviceId)}/live/events`;
    const source = new EventSource(url, { withCredentials: true });
    const on = (name: string, fn: (ev: Record<string, unknown>) => void) =>
      source.addEventListener(name, (m) => fn(JSON.parse((m as MessageEvent).data)));
    on("live.status", (ev) =>
      setState({
        session: (ev.session as LiveSession | null) ?? null,
        results: ((ev.recent as Schemas["LiveResult"][]) ?? []).map((r) => ({
          ...r,
          receivedTs: Date.now(),
          replayed: true,
        })),
        ended: null,
        problem: null,
        connected: true,
      }),
    );
    on("live.started", (ev) =>
      setState((s) => ({ ...s, session: ev.session as LiveSession, results: [], ended: null, problem: null })),
    );
    on("live.result", (ev) =>
      setState((s) => ({
        ...s,
        problem: null,
        results: [...s.results.slice(-(KEEP - 1)), { ...(ev as Schemas["LiveResult"]), receivedTs: Date.now() }],
      })),
    );
    on("live.problem", (ev) => setState((s) => ({ ...s, problem: String(ev.error) })));
    on("live.ended", (ev) => setState((s) => ({ ...s, ended: String(ev.reason) })));
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    return () => source.close();
  }, [projectId, deviceId]);
  return state;
}

import { useCallback, useEffect, useRef, useState } from "react";
import { streamMotion } from "../lib/liveStream";
import type { StreamRequest } from "../lib/remoteManagement";

type Send = (message: Record<string, unknown>) => void;

/** A phone's side of live classification: stream the accelerometer while the studio asks. */
export function useLiveStreaming() {
  const [streaming, setStreaming] = useState<StreamRequest | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const stop = useRef<(() => void) | null>(null);

  const handlers = useCallback(
    (send: Send) => ({
      onStreamStart: (req: StreamRequest) => {
        stop.current?.();
        if (req.sensor !== "Accelerometer") {
          send({ streamError: `this phone streams only its accelerometer, not ${req.sensor}` });
          return;
        }
        stop.current = streamMotion(req, send);
        setStreaming(req);
        setEnded(null);
      },
      onStreamStop: (reason?: string) => {
        if (!stop.current) return;
        stop.current();
        stop.current = null;
        setStreaming(null);
        setEnded(reason ?? "The studio stopped live classification");
      },
    }),
    [],
  );
  useEffect(() => () => stop.current?.(), []);
  return { streaming, ended, handlers };
}

import { useCallback, useEffect, useRef, useState } from "react";
import { streamMicrophone, streamMotion } from "../lib/liveStream";
import type { StreamRequest } from "../lib/remoteManagement";

type Send = (message: Record<string, unknown>) => void;

/** A phone's side of live classification: stream the accelerometer or the microphone while the
 * studio asks. `needsTap`: the microphone's audio waits for a tap on the page (call `resume`). */
export function useLiveStreaming() {
  const [streaming, setStreaming] = useState<StreamRequest | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [audio, setAudio] = useState<AudioContext | null>(null);
  const [needsTap, setNeedsTap] = useState(false);
  const stop = useRef<(() => void) | null>(null);
  const session = useRef(0); // a stop or a newer start makes an earlier start's late microphone moot
  const active = useRef(false);

  const handlers = useCallback(
    (send: Send) => ({
      onStreamStart: (req: StreamRequest) => {
        stop.current?.();
        stop.current = null;
        const mine = ++session.current;
        active.current = true;
        setEnded(null);
        if (req.sensor === "Accelerometer") {
          stop.current = streamMotion(req, send);
          setStreaming(req);
          return;
        }
        if (req.sensor !== "Microphone") {
          active.current = false;
          send({ streamError: `this phone streams its accelerometer or its microphone, not ${req.sensor}` });
          return;
        }
        setStreaming(req);
        streamMicrophone(req, send).then(
          (mic) => {
            if (mine !== session.current) return mic.stop();
            stop.current = mic.stop;
            setAudio(mic.context);
            const tapOrRun = () => setNeedsTap(mic.context.state === "suspended");
            mic.context.onstatechange = tapOrRun;
            void mic.context.resume().catch(() => undefined);
            tapOrRun();
          },
          (e: unknown) => {
            if (mine !== session.current) return;
            active.current = false;
            setStreaming(null);
            const why = e instanceof Error ? e.message : String(e);
            setEnded(`The microphone could not start: ${why}`);
            send({ streamError: `the phone's microphone could not start: ${why}` });
          },
        );
      },
      onStreamStop: (reason?: string) => {
        if (!active.current) return;
        active.current = false;
        session.current++;
        stop.current?.();
        stop.current = null;
        setAudio(null);
        setNeedsTap(false);
        setStreaming(null);
        setEnded(reason ?? "The studio stopped live classification");
      },
    }),
    [],
  );
  const resume = useCallback(() => void audio?.resume(), [audio]);
  useEffect(
    () => () => {
      session.current++;
      stop.current?.();
    },
    [],
  );
  return { streaming, ended, needsTap, resume, handlers };
}

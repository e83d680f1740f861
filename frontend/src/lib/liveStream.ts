// Streaming readings to the studio's live classification over the remote-management socket.
import type { StreamRequest } from "./remoteManagement";
import { int16Sample } from "./resample";
import { openMicrophone, type Microphone } from "./sensors";

type Send = (message: Record<string, unknown>) => void;
// The studio takes at most 1,000 rows per message (backend/live/windowing.py).
const MAX_ROWS_PER_CHUNK = 1000;

/** Sends rows in chunks every `chunkMs`; each chunk says when its last row was read (epoch ms). */
export class ChunkedStream {
  private rows: number[][] = [];
  private lastTs = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private req: StreamRequest,
    private send: Send,
  ) {
    this.timer = setInterval(() => this.flush(), req.chunkMs ?? 100);
  }

  add(row: number[], ts: number = Date.now()) {
    this.rows.push(row);
    this.lastTs = ts;
  }

  /** Everything read since the last flush, in messages of at most MAX_ROWS_PER_CHUNK rows. */
  flush() {
    while (this.rows.length) {
      const values = this.rows.splice(0, MAX_ROWS_PER_CHUNK);
      const t = this.rows.length ? this.lastTs - this.rows.length * this.req.interval : this.lastTs;
      this.send({ streamData: { id: this.req.id, values, t } });
    }
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.rows = [];
  }
}

/** The phone's accelerometer, streamed: one row per motion event (m/s², gravity included). */
export function streamMotion(req: StreamRequest, send: Send): () => void {
  const stream = new ChunkedStream(req, send);
  const onMotion = (e: DeviceMotionEvent) => {
    const a = e.accelerationIncludingGravity;
    if (a) stream.add([a.x ?? 0, a.y ?? 0, a.z ?? 0]);
  };
  window.addEventListener("devicemotion", onMotion);
  return () => {
    window.removeEventListener("devicemotion", onMotion);
    stream.stop();
  };
}

/** The phone's microphone, streamed: one row per sample, the 16-bit value the studio stores for
 * recorded audio. The audio context may wait for a tap on the page before it runs (browsers let
 * sound start only after the user touched the page): `microphone.context.state` says. */
export async function streamMicrophone(req: StreamRequest, send: Send): Promise<Microphone> {
  const stream = new ChunkedStream(req, send);
  try {
    const mic = await openMicrophone(Math.round(1000 / req.interval), (samples) => {
      const now = Date.now();
      for (let i = 0; i < samples.length; i++) stream.add([int16Sample(samples[i])], now);
    });
    return {
      context: mic.context,
      stop: () => {
        mic.stop();
        stream.stop();
      },
    };
  } catch (e) {
    stream.stop();
    throw e;
  }
}

// Streaming readings to the studio's live classification over the remote-management socket.
import type { StreamRequest } from "./remoteManagement";

type Send = (message: Record<string, unknown>) => void;
const MAX_ROWS_PER_CHUNK = 500;

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

  flush() {
    if (!this.rows.length) return;
    const values = this.rows.splice(0, MAX_ROWS_PER_CHUNK);
    const t = this.rows.length ? this.lastTs - this.rows.length * this.req.interval : this.lastTs;
    this.send({ streamData: { id: this.req.id, values, t } });
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

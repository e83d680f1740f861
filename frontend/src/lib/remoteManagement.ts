// A browser device on the remote-management WebSocket (Edge Impulse protocol, JSON encoding).
export type SampleRequest = {
  label: string;
  length: number;
  path: string;
  hmacKey: string;
  interval: number;
  sensor: string;
};
export type Hello = {
  version: 3;
  apiKey: string;
  deviceId: string;
  deviceType: string;
  connection: "ip";
  // liveStream (ours): the sensor can stream its readings for the studio's live classification.
  sensors: { name: string; frequencies: number[]; maxSampleLengthS: number; liveStream?: boolean }[];
  supportsSnapshotStreaming: false;
};
export type ConnectionState = "connecting" | "connected" | "refused" | "closed";

/** The studio asks for a live stream: send {"streamData": {"values": [[...]], "t": epoch ms}} chunks. */
export type StreamRequest = { id: string; sensor: string; interval: number; chunkMs?: number };

type Handlers = {
  onState: (state: ConnectionState, detail?: string) => void;
  onSampleRequest: (req: SampleRequest) => void;
  onStreamStart?: (req: StreamRequest) => void;
  onStreamStop?: (reason?: string) => void;
};

/** Connects, says hello, answers pings, reconnects after drops, and relays sample requests. */
export class RemoteManagement {
  private ws: WebSocket | null = null;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;

  constructor(
    private url: string,
    private hello: Hello,
    private h: Handlers,
  ) {}

  start() {
    this.stopped = false;
    this.h.onState("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ hello: this.hello }));
    ws.onmessage = (e) => this.receive(String(e.data));
    ws.onclose = () => {
      if (this.pinger) clearInterval(this.pinger);
      this.h.onStreamStop?.("the connection to the studio closed");
      if (this.stopped) return;
      this.h.onState("closed");
      this.retry = setTimeout(() => this.start(), 3000);
    };
  }

  stop() {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.pinger) clearInterval(this.pinger);
    this.ws?.close();
  }

  send(message: Record<string, unknown>) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private receive(text: string) {
    if (text === "pong") return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if ("hello" in msg) {
      if (msg.hello === true) {
        this.h.onState("connected");
        this.pinger = setInterval(() => this.ws?.readyState === WebSocket.OPEN && this.ws.send("ping"), 10_000);
      } else {
        this.stopped = true;
        this.h.onState("refused", String(msg.err ?? "the server refused this device"));
        this.ws?.close();
      }
    } else if (msg.sample && typeof msg.sample === "object") {
      this.h.onSampleRequest(msg.sample as SampleRequest);
    } else if (msg.stream && typeof msg.stream === "object") {
      this.h.onStreamStart?.(msg.stream as StreamRequest);
    } else if ("streamStop" in msg) {
      this.h.onStreamStop?.(typeof msg.err === "string" ? msg.err : undefined);
    }
  }
}

export function phoneDeviceId(): string {
  const stored = localStorage.getItem("tinyforge.phoneDeviceId");
  if (stored) return stored;
  const id = `phone_${Date.now().toString(36)}`;
  localStorage.setItem("tinyforge.phoneDeviceId", id);
  return id;
}

export function websocketUrl(path: string): string {
  const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${window.location.host}${path}`;
}

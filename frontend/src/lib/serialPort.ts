// Reading value lines from a board through Web Serial (Chrome and Edge).
import { splitLines } from "./serialLines";

type SerialPortLike = {
  open(o: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  readable: ReadableStream<Uint8Array> | null;
};
type SerialLike = { requestPort(): Promise<SerialPortLike> };

export function webSerial(): SerialLike | null {
  return (navigator as unknown as { serial?: SerialLike }).serial ?? null;
}

/** An open port that collects complete text lines with their arrival time. */
export class LineReader {
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private rest = "";
  private sinks = new Set<(line: string) => void>();
  closed = false;

  constructor(private port: SerialPortLike) {}

  static async open(baudRate: number): Promise<LineReader> {
    const serial = webSerial();
    if (!serial) throw new Error("This browser has no Web Serial");
    const port = await serial.requestPort();
    await port.open({ baudRate });
    const r = new LineReader(port);
    r.pump();
    return r;
  }

  private async pump() {
    const decoder = new TextDecoder();
    this.reader = this.port.readable!.getReader();
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        const { lines, rest } = splitLines(this.rest + decoder.decode(value, { stream: true }));
        this.rest = rest;
        lines.forEach((l) => this.sinks.forEach((s) => s(l)));
      }
    } catch {
      /* the board was unplugged */
    }
    this.closed = true;
  }

  /** Calls `fn` with every complete line from now on, until the returned function is called. */
  onLine(fn: (line: string) => void): () => void {
    this.sinks.add(fn);
    return () => this.sinks.delete(fn);
  }

  /** Every line that arrives during `ms` milliseconds, and the seconds it really listened
   * (timers fire late, by up to 50 ms here and more in a busy tab: rates are measured with it). */
  collect(ms: number, onProgress?: (f: number) => void): Promise<{ lines: string[]; seconds: number }> {
    const lines: string[] = [];
    const sink = (l: string) => lines.push(l);
    this.sinks.add(sink);
    const start = performance.now();
    return new Promise((resolve) => {
      const tick = setInterval(() => {
        const f = (performance.now() - start) / ms;
        onProgress?.(Math.min(1, f));
        if (f >= 1) {
          clearInterval(tick);
          this.sinks.delete(sink);
          resolve({ lines, seconds: (performance.now() - start) / 1000 });
        }
      }, 50);
    });
  }

  async close() {
    try {
      await this.reader?.cancel();
      await this.port.close();
    } catch {
      /* already closed */
    }
  }
}

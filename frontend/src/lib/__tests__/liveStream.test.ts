import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChunkedStream } from "../liveStream";

describe("live stream chunks", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the rows gathered each period, stamped with the time of the last one", () => {
    const sent: Record<string, unknown>[] = [];
    const stream = new ChunkedStream({ id: "s1", sensor: "Accelerometer", interval: 16, chunkMs: 100 }, (m) =>
      sent.push(m),
    );
    stream.add([1, 2, 3], 1000);
    stream.add([4, 5, 6], 1016);
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(100); // nothing new: nothing sent
    stream.add([7, 8, 9], 1300);
    vi.advanceTimersByTime(100);
    stream.stop();
    expect(sent).toEqual([
      {
        streamData: {
          id: "s1",
          values: [
            [1, 2, 3],
            [4, 5, 6],
          ],
          t: 1016,
        },
      },
      { streamData: { id: "s1", values: [[7, 8, 9]], t: 1300 } },
    ]);
  });

  it("sends a backlog at once, in chunks the server accepts, oldest first", () => {
    const sent: { streamData: { values: number[][]; t: number } }[] = [];
    const stream = new ChunkedStream({ id: "s2", sensor: "Microphone", interval: 0.0625 }, (m) =>
      sent.push(m as (typeof sent)[number]),
    );
    // 2,500 samples of a 16 kHz microphone, one row each, the newest read at 5000 ms
    for (let i = 0; i < 2500; i++) stream.add([i], 5000);
    stream.flush();
    expect(sent.map((m) => m.streamData.values.length)).toEqual([1000, 1000, 500]);
    expect(sent[0].streamData.values[999]).toEqual([999]);
    expect(sent[2].streamData.values[499]).toEqual([2499]);
    expect(sent.map((m) => m.streamData.t)).toEqual([5000 - 1500 * 0.0625, 5000 - 500 * 0.0625, 5000]);
    stream.flush(); // nothing left
    expect(sent).toHaveLength(3);
    stream.stop();
  });
});

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

  it("splits a backlog into chunks the server accepts, oldest first", () => {
    const sent: { streamData: { values: number[][]; t: number } }[] = [];
    const stream = new ChunkedStream({ id: "s2", sensor: "Accelerometer", interval: 10 }, (m) =>
      sent.push(m as (typeof sent)[number]),
    );
    for (let i = 0; i < 700; i++) stream.add([i], 5000 + i * 10);
    stream.flush();
    stream.flush();
    expect(sent.map((m) => m.streamData.values.length)).toEqual([500, 200]);
    expect(sent[0].streamData.values[499]).toEqual([499]);
    expect(sent[0].streamData.t).toBe(5000 + 499 * 10);
    expect(sent[1].streamData.t).toBe(5000 + 699 * 10);
    stream.stop();
  });
});

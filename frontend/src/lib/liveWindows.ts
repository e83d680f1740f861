// Live windows for on-phone classification: the newest window of the accelerometer (resampled to
// the impulse's rate, axes interleaved) or of the microphone (16-bit values, as ingested), handed
// over every `stepMs` while the sensor runs.
import type { ImpulseInfo } from "./wasmImpulse";
import { int16Sample, resampleToGrid } from "./resample";
import { openMicrophone, SensorError } from "./sensors";

export type OnWindow = (window: Float32Array | null, filled: number) => void;
export type Stop = () => void;

/** How often a window is classified: once per slice of the window (at most 10 times a second). */
export const stepMs = (info: ImpulseInfo) => Math.max(100, info.window_ms / Math.max(1, info.slices_per_window));

export function motionWindows(info: ImpulseInfo, onWindow: OnWindow): Stop {
  if (!("DeviceMotionEvent" in window))
    throw new SensorError("This browser has no motion sensors (DeviceMotionEvent).");
  const times: number[] = [];
  const rows: number[][] = [];
  const onMotion = (e: DeviceMotionEvent) => {
    const a = e.accelerationIncludingGravity;
    if (!a) return;
    times.push(performance.now());
    rows.push([a.x ?? 0, a.y ?? 0, a.z ?? 0].slice(0, info.axes.length));
  };
  window.addEventListener("devicemotion", onMotion);
  const started = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const from = now - info.window_ms;
    while (times.length > 2 && times[1] < from) {
      times.shift();
      rows.shift();
    }
    if (now - started < info.window_ms || times.length < 2) {
      onWindow(null, Math.min(1, (now - started) / info.window_ms));
      return;
    }
    const grid = resampleToGrid(times, rows, info.interval_ms, info.window_samples);
    onWindow(Float32Array.from(grid.flat()), 1);
  }, stepMs(info));
  return () => {
    clearInterval(timer);
    window.removeEventListener("devicemotion", onMotion);
  };
}

export async function microphoneWindows(info: ImpulseInfo, onWindow: OnWindow): Promise<Stop> {
  const ring = new Float32Array(info.window_samples);
  let got = 0;
  const mic = await openMicrophone(info.frequency_hz, (samples) => {
    const d = samples.subarray(-ring.length);
    ring.copyWithin(0, d.length);
    ring.set(d, ring.length - d.length);
    got += d.length;
  });
  const timer = setInterval(() => {
    if (got < ring.length) return onWindow(null, got / ring.length);
    // 16-bit values, as the studio stores recorded audio and the board's microphone delivers them
    onWindow(ring.map(int16Sample), 1);
  }, stepMs(info));
  return () => {
    clearInterval(timer);
    mic.stop();
  };
}

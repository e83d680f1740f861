// Recording from the phone's sensors: accelerometer via DeviceMotionEvent, microphone via getUserMedia.
import { allZero, resampleToGrid, toInt16 } from "./resample";
import type { AcquisitionPayload } from "./signing";

export const ACCEL_INTERVAL_MS = 16; // 62.5 Hz
export const AUDIO_RATE = 16000;

type Progress = (fraction: number) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** iOS asks the user (from a tap) before motion events flow; elsewhere this resolves at once. */
export async function askMotionPermission(): Promise<boolean> {
  const DME = (window as unknown as { DeviceMotionEvent?: { requestPermission?: () => Promise<string> } })
    .DeviceMotionEvent;
  if (!DME) return false;
  if (typeof DME.requestPermission === "function") return (await DME.requestPermission()) === "granted";
  return true;
}

export class SensorError extends Error {}

export async function recordMotion(
  lengthMs: number,
  deviceName: string,
  progress: Progress,
): Promise<AcquisitionPayload> {
  if (!("DeviceMotionEvent" in window))
    throw new SensorError("This browser has no motion sensors (DeviceMotionEvent).");
  const times: number[] = [];
  const rows: number[][] = [];
  const onMotion = (e: DeviceMotionEvent) => {
    const a = e.accelerationIncludingGravity;
    if (!a) return;
    times.push(performance.now());
    rows.push([a.x ?? 0, a.y ?? 0, a.z ?? 0]);
  };
  window.addEventListener("devicemotion", onMotion);
  const start = performance.now();
  try {
    while (performance.now() - start < lengthMs) {
      await sleep(100);
      progress(Math.min(1, (performance.now() - start) / lengthMs));
    }
  } finally {
    window.removeEventListener("devicemotion", onMotion);
  }
  if (rows.length < 2) {
    throw new SensorError(
      "No accelerometer readings arrived. On iOS tap 'Allow motion sensors' first; on a computer there is no accelerometer.",
    );
  }
  if (allZero(rows)) {
    throw new SensorError(
      "The accelerometer reads only zeros. On Android (Chrome) open Site settings → Motion sensors and allow this site, then reload.",
    );
  }
  const count = Math.floor(lengthMs / ACCEL_INTERVAL_MS);
  return {
    device_name: deviceName,
    device_type: "MOBILE_CLIENT",
    interval_ms: ACCEL_INTERVAL_MS,
    sensors: [
      { name: "accX", units: "m/s2" },
      { name: "accY", units: "m/s2" },
      { name: "accZ", units: "m/s2" },
    ],
    values: resampleToGrid(times, rows, ACCEL_INTERVAL_MS, count),
  };
}

/** The phone's microphone, opened. */
export type Microphone = { context: AudioContext; stop: () => void };

/** Opens the microphone at `rate` Hz, mono, unprocessed; `onSamples` gets each block of floats in
 * [-1, 1] as the browser delivers it (the array is reused: copy what you keep). */
export async function openMicrophone(rate: number, onSamples: (samples: Float32Array) => void): Promise<Microphone> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new SensorError("This browser cannot use the microphone here (it needs HTTPS).");
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false },
  });
  const context = new AudioContext({ sampleRate: rate });
  const source = context.createMediaStreamSource(stream);
  const proc = context.createScriptProcessor(4096, 1, 1);
  proc.onaudioprocess = (e) => onSamples(e.inputBuffer.getChannelData(0));
  source.connect(proc);
  proc.connect(context.destination);
  return {
    context,
    stop: () => {
      proc.disconnect();
      source.disconnect();
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
    },
  };
}

export async function recordAudio(
  lengthMs: number,
  deviceName: string,
  progress: Progress,
): Promise<AcquisitionPayload> {
  const chunks: Float32Array[] = [];
  const wanted = Math.round((lengthMs / 1000) * AUDIO_RATE);
  let got = 0;
  const mic = await openMicrophone(AUDIO_RATE, (d) => {
    chunks.push(new Float32Array(d));
    got += d.length;
  });
  try {
    while (got < wanted) {
      await sleep(100);
      progress(Math.min(1, got / wanted));
    }
  } finally {
    mic.stop();
  }
  const all = new Float32Array(got);
  let at = 0;
  chunks.forEach((c) => {
    all.set(c, at);
    at += c.length;
  });
  return {
    device_name: deviceName,
    device_type: "MOBILE_CLIENT",
    interval_ms: 1000 / AUDIO_RATE,
    sensors: [{ name: "audio", units: "wav" }],
    values: toInt16(all.subarray(0, wanted)),
  };
}

// The data forwarder's line protocol: one reading per line, values separated by ',', TAB or space.

export type ParsedLine = { values: number[] } | { error: string } | null;

export function parseLine(line: string): ParsedLine {
  const text = line.trim();
  if (!text) return null;
  if (text.startsWith("ERR")) return { error: text };
  const parts = text.split(/[,\t ]+/).filter(Boolean);
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v))) return null;
  return { values };
}

/** Splits a growing text buffer into complete lines; returns the lines and the unfinished rest. */
export function splitLines(buffer: string): { lines: string[]; rest: string } {
  const parts = buffer.split(/\r?\n/);
  const rest = parts.pop() ?? "";
  return { lines: parts, rest };
}

/** Sound is sampled at one of these; a measured rate within 2 % of one is that rate (as `tinyforge forward`). */
export const AUDIO_RATES_HZ = [8000, 11025, 16000, 22050, 32000, 44100, 48000];

/** A measured rate as a sample's frequency: the audio rate within 2 %, else rounded to 0.1 Hz. */
export function roundFrequency(hz: number): number {
  const audio = AUDIO_RATES_HZ.find((rate) => Math.abs(hz - rate) <= 0.02 * rate);
  return audio ?? Math.round(hz * 10) / 10;
}

/**
 * Frequency and axis count from the complete lines seen during `seconds` of listening.
 * The first and last lines may be truncated, so they are dropped.
 */
export function detectStream(lines: string[], seconds: number): { frequency: number; axes: number } {
  const rows = lines
    .slice(1, -1)
    .map(parseLine)
    .filter((r): r is { values: number[] } => !!r && "values" in r);
  if (rows.length === 0)
    throw new Error("No numeric lines arrived: is the board printing comma-separated values at this baud rate?");
  const counts = new Map<number, number>();
  rows.forEach((r) => counts.set(r.values.length, (counts.get(r.values.length) ?? 0) + 1));
  const axes = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const frequency = roundFrequency((rows.length + 1) / seconds);
  return { frequency, axes };
}

export function defaultAxisNames(axes: number): string[] {
  if (axes === 3) return ["accX", "accY", "accZ"];
  if (axes === 6) return ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"];
  return Array.from({ length: axes }, (_, i) => `value${i + 1}`);
}

export function unitsFor(axis: string): string {
  return axis.startsWith("acc") ? "m/s2" : axis.startsWith("gyr") ? "deg/s" : "N/A";
}

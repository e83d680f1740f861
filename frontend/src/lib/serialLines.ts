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
  const frequency = Math.round(((rows.length + 1) / seconds) * 10) / 10;
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

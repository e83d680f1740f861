// Browser sensors fire at irregular times; samples are stored at exact intervals.

/**
 * Linear interpolation of irregular readings (times in ms, rows of axes) onto a grid of `count`
 * points starting at the first reading, `intervalMs` apart. Readings past the ends are held.
 */
export function resampleToGrid(times: number[], rows: number[][], intervalMs: number, count: number): number[][] {
  if (times.length === 0) return [];
  const out: number[][] = [];
  const t0 = times[0];
  let j = 0;
  for (let i = 0; i < count; i++) {
    const t = t0 + i * intervalMs;
    while (j < times.length - 2 && times[j + 1] < t) j++;
    if (t <= times[0]) {
      out.push([...rows[0]]);
      continue;
    }
    if (j >= times.length - 1 || t >= times[times.length - 1]) {
      out.push([...rows[rows.length - 1]]);
      continue;
    }
    const span = times[j + 1] - times[j];
    const f = span > 0 ? (t - times[j]) / span : 0;
    out.push(rows[j].map((a, k) => a + (rows[j + 1][k] - a) * f));
  }
  return out;
}

/** True when every reading is exactly zero: Android with motion sensors blocked for the site. */
export function allZero(rows: number[][]): boolean {
  return rows.length > 0 && rows.every((r) => r.every((v) => v === 0));
}

/** Float audio in [-1, 1] to 16-bit integers, as WAV-like acquisition values. */
/** One audio sample in [-1, 1] as the 16-bit value the studio stores and a board's microphone gives. */
export function int16Sample(sample: number): number {
  const v = Math.max(-1, Math.min(1, sample));
  return Math.round(v < 0 ? v * 32768 : v * 32767);
}

export function toInt16(samples: Float32Array): number[] {
  return Array.from(samples, int16Sample);
}

import { useEffect, useRef, type PointerEvent } from "react";

export type Cut = { start_ms: number; end_ms: number };

/** Per pixel column, the lowest and highest value of the points that fall in it. */
export function envelope(times: number[], values: number[], lengthMs: number, width: number) {
  const lo = new Float32Array(width).fill(Infinity);
  const hi = new Float32Array(width).fill(-Infinity);
  const scale = width / Math.max(lengthMs, 1e-9);
  for (let i = 0; i < times.length; i++) {
    const x = Math.min(width - 1, Math.max(0, Math.floor(times[i] * scale)));
    const v = values[i];
    if (v < lo[x]) lo[x] = v;
    if (v > hi[x]) hi[x] = v;
  }
  // A column no point fell in (a short sample drawn wide) takes its left neighbour's span.
  for (let x = 1; x < width; x++) {
    if (lo[x] === Infinity) {
      lo[x] = lo[x - 1];
      hi[x] = hi[x - 1];
    }
  }
  return { lo, hi };
}

/** An audio sample's waveform as a min/max envelope per pixel column, with cuts shaded over it;
 * with `onSelect`, dragging across it selects a time range (drawn with its edges). */
export function AudioWaveform({
  times,
  values,
  lengthMs,
  cuts = [],
  activeCut = null,
  playheadMs = null,
  selection = null,
  onSelect,
  height = 140,
}: {
  times: number[];
  values: number[];
  lengthMs: number;
  cuts?: Cut[];
  activeCut?: number | null;
  playheadMs?: number | null;
  selection?: Cut | null;
  onSelect?: (startMs: number, endMs: number) => void;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const dragFrom = useRef<number | null>(null);
  const msAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - box.left) / Math.max(1, box.width)));
    return Math.round(f * lengthMs);
  };
  const drag = (e: PointerEvent<HTMLCanvasElement>) => {
    if (dragFrom.current === null || !onSelect) return;
    const at = msAt(e);
    onSelect(Math.min(dragFrom.current, at), Math.max(dragFrom.current, at));
  };
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const width = Math.max(100, Math.floor(el.clientWidth || 600));
    const ratio = window.devicePixelRatio || 1;
    el.width = width * ratio;
    el.height = height * ratio;
    const g = el.getContext("2d");
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const toX = (ms: number) => (ms / lengthMs) * width;
    cuts.forEach((c, i) => {
      g.fillStyle = i === activeCut ? "rgba(247, 103, 7, 0.35)" : "rgba(28, 126, 214, 0.18)";
      g.fillRect(toX(c.start_ms), 0, Math.max(1, toX(c.end_ms) - toX(c.start_ms)), height);
    });
    if (selection) {
      const a = toX(selection.start_ms);
      const b = toX(selection.end_ms);
      g.fillStyle = "rgba(112, 72, 232, 0.22)";
      g.fillRect(a, 0, Math.max(1, b - a), height);
      g.fillStyle = "#7048e8";
      g.fillRect(a, 0, 1.5, height);
      g.fillRect(b - 1.5, 0, 1.5, height);
    }
    const { lo, hi } = envelope(times, values, lengthMs, width);
    let peak = 1;
    for (let x = 0; x < width; x++) peak = Math.max(peak, Math.abs(lo[x]), Math.abs(hi[x]));
    const mid = height / 2;
    const scale = (height / 2 - 2) / peak;
    g.fillStyle = "#0ca678";
    for (let x = 0; x < width; x++) {
      if (lo[x] === Infinity) continue;
      const top = mid - hi[x] * scale;
      g.fillRect(x, top, 1, Math.max(1, mid - lo[x] * scale - top));
    }
    g.fillStyle = "rgba(73, 80, 87, 0.5)";
    g.fillRect(0, mid, width, 0.5);
    if (playheadMs !== null) {
      g.fillStyle = "#e03131";
      g.fillRect(toX(playheadMs), 0, 1.5, height);
    }
  }, [times, values, lengthMs, cuts, activeCut, playheadMs, selection, height]);
  return (
    <canvas
      ref={canvas}
      role="img"
      aria-label="Waveform"
      data-cuts={cuts.length}
      data-selection={selection ? `${selection.start_ms}-${selection.end_ms}` : ""}
      onPointerDown={(e) => {
        if (!onSelect) return;
        e.currentTarget.setPointerCapture?.(e.pointerId);
        dragFrom.current = msAt(e);
      }}
      onPointerMove={drag}
      onPointerUp={(e) => {
        drag(e);
        dragFrom.current = null;
      }}
      style={{
        width: "100%",
        height,
        display: "block",
        background: "#f8f9fa",
        borderRadius: 4,
        cursor: onSelect ? "crosshair" : undefined,
        touchAction: onSelect ? "none" : undefined,
      }}
    />
  );
}

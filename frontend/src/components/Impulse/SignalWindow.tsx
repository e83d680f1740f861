import { Group, Text } from "@mantine/core";
import { type KeyboardEvent, type PointerEvent, useMemo, useRef } from "react";

const COLORS = ["#0ca678", "#1c7ed6", "#f76707", "#ae3ec9", "#e03131", "#495057"];
const W = 1000;
const H = 200;

/**
 * A sample's raw signal with the impulse's window drawn over it: drag the window (or click where
 * it should go, or use the arrow keys on it) to choose where it starts.
 */
export function SignalWindow({
  times,
  values,
  names,
  lengthMs,
  windowMs,
  stepMs,
  start,
  onChange,
}: {
  times: number[];
  values: number[][];
  names: string[];
  lengthMs: number;
  windowMs: number;
  stepMs: number;
  start: number;
  onChange: (startMs: number) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const grab = useRef<number | null>(null); // ms between the pointer and the window's start while dragging
  const span = Math.max(lengthMs, windowMs, 1);
  const last = Math.max(0, lengthMs - windowMs);
  const clamp = (ms: number) => Math.round(Math.min(Math.max(ms, 0), last));
  const x = (ms: number) => (ms / span) * W;

  const lines = useMemo(() => {
    const flat = values.flat();
    const lo = Math.min(...flat),
      hi = Math.max(...flat);
    const y = (v: number) => H - 8 - ((v - lo) / (hi - lo || 1)) * (H - 16);
    return names.map((_, k) => times.map((t, i) => `${x(t).toFixed(1)},${y(values[i][k]).toFixed(1)}`).join(" "));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [times, values, names, span]);

  const msAt = (e: PointerEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return ((e.clientX - box.left) / box.width) * span;
  };
  const down = (e: PointerEvent<SVGSVGElement>) => {
    const at = msAt(e);
    // grabbing the window keeps its offset; a click elsewhere centres the window there
    grab.current = at >= start && at <= start + windowMs ? at - start : windowMs / 2;
    svg.current!.setPointerCapture(e.pointerId);
    onChange(clamp(at - grab.current));
  };
  const move = (e: PointerEvent<SVGSVGElement>) => {
    if (grab.current !== null) onChange(clamp(msAt(e) - grab.current));
  };
  const up = (e: PointerEvent<SVGSVGElement>) => {
    grab.current = null;
    if (svg.current?.hasPointerCapture(e.pointerId)) svg.current.releasePointerCapture(e.pointerId);
  };
  const key = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowLeft: start - stepMs,
      ArrowRight: start + stepMs,
      Home: 0,
      End: last,
    };
    if (e.key in moves) {
      e.preventDefault();
      onChange(clamp(moves[e.key]));
    }
  };

  return (
    <div>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        width="100%"
        height={H}
        style={{ touchAction: "none", cursor: "grab", display: "block" }}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        data-testid="signal-window"
      >
        <title>{`Raw signal of ${names.join(", ")}; the shaded window is what the block processes`}</title>
        <rect x={0} y={0} width={W} height={H} fill="var(--mantine-color-gray-0)" />
        {lines.map((pts, k) => (
          <polyline
            key={names[k]}
            points={pts}
            fill="none"
            stroke={COLORS[k % COLORS.length]}
            strokeWidth={1.25}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        <rect
          role="slider"
          tabIndex={0}
          aria-label="Window start"
          aria-valuemin={0}
          aria-valuemax={Math.round(last)}
          aria-valuenow={Math.round(start)}
          aria-valuetext={`${Math.round(start)} ms`}
          x={x(start)}
          y={0}
          width={x(Math.min(windowMs, span))}
          height={H}
          fill="rgba(28, 126, 214, 0.18)"
          stroke="#1c7ed6"
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
          onKeyDown={key}
          style={{ cursor: "grab" }}
        />
      </svg>
      <Group justify="space-between" mt={4}>
        <Group gap="sm">
          {names.map((n, k) => (
            <Group key={n} gap={4}>
              <span style={{ width: 10, height: 10, borderRadius: 2, background: COLORS[k % COLORS.length] }} />
              <Text size="xs">{n}</Text>
            </Group>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          window {Math.round(start)}–{Math.round(start + windowMs)} ms of {Math.round(lengthMs)} ms
        </Text>
      </Group>
    </div>
  );
}

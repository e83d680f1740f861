import { Group, Text } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import { labelColor } from "./labelColors";

const LINE_COLORS = ["#0ca678", "#1c7ed6", "#f76707", "#ae3ec9", "#e03131", "#495057"];
const LANE = 12;

export type WindowBand = { startMs: number; endMs: number; decision: string; topScore: number; wrong: boolean };

type Plot = { left: number; width: number; min: number; max: number };

/** The sample's signal (uPlot) with a strip under it: one coloured band per window, by its predicted
 * label, overlapping windows on separate lanes, the windows the model got wrong outlined in red. */
export function WindowPredictionsChart({
  times,
  values,
  names,
  bands,
  labels,
}: {
  times: number[];
  values: number[][];
  names: string[];
  bands: WindowBand[];
  labels: string[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const [plot, setPlot] = useState<Plot | null>(null);
  const end = Math.max(0, ...bands.map((b) => b.endMs));
  useEffect(() => {
    const el = box.current;
    if (!el || times.length === 0) return;
    // The strip follows the plot area and its x range (also when zoomed by dragging).
    const track = (u: uPlot) => {
      const over = u.over.getBoundingClientRect();
      const outer = el.getBoundingClientRect();
      setPlot({ left: over.left - outer.left, width: over.width, min: u.scales.x.min ?? 0, max: u.scales.x.max ?? 1 });
    };
    const u = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 240,
        scales: { x: { time: false, range: (_u, lo, hi) => [Math.min(lo, 0), Math.max(hi, end)] } },
        axes: [{ label: "ms" }, {}],
        legend: { show: false }, // drawn below the strip, with the window colours
        series: [
          { label: "time (ms)" },
          ...names.map((n, k) => ({ label: n, stroke: LINE_COLORS[k % LINE_COLORS.length], width: 1.25 })),
        ],
        hooks: { ready: [track], setScale: [track], setSize: [track] },
      },
      [times, ...names.map((_, k) => values.map((r) => r[k]))],
      el,
    );
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [times, values, names, end]);
  const lanes = Math.max(1, Math.min(8, lanesFor(bands)));
  const x = (ms: number) => (plot ? ((ms - plot.min) / (plot.max - plot.min || 1)) * plot.width : 0);
  const shown = [...new Set(bands.map((b) => b.decision))];
  return (
    <div>
      <div ref={box} role="img" aria-label={`Signal chart of ${names.join(", ")}`} style={{ width: "100%" }} />
      {plot && (
        <svg
          role="img"
          aria-label="Prediction of each window"
          width={plot.width}
          height={lanes * LANE + 2}
          style={{ marginLeft: plot.left, display: "block", overflow: "hidden" }}
          data-testid="window-strip"
        >
          {bands.map((b, i) => {
            const left = Math.max(0, x(b.startMs));
            const right = Math.min(plot.width, x(b.endMs));
            if (right <= left) return null;
            return (
              <rect
                key={i}
                data-testid="window-band"
                data-prediction={b.decision}
                data-wrong={b.wrong}
                x={left}
                y={1 + (i % lanes) * LANE}
                width={Math.max(1, right - left - 1)}
                height={LANE - 3}
                rx={2}
                fill={labelColor(b.decision, labels)}
                fillOpacity={0.85}
                stroke={b.wrong ? "#e03131" : "none"}
                strokeWidth={b.wrong ? 2 : 0}
              >
                <title>
                  {`${Math.round(b.startMs)}–${Math.round(b.endMs)} ms: ${b.decision} (${(b.topScore * 100).toFixed(0)}%)${b.wrong ? ", wrong" : ""}`}
                </title>
              </rect>
            );
          })}
        </svg>
      )}
      <Group gap="md" mt={6} aria-label="Legend" role="list">
        {names.map((n, k) => (
          <Group gap={4} key={n} role="listitem">
            <span
              style={{ width: 14, height: 3, display: "inline-block", background: LINE_COLORS[k % LINE_COLORS.length] }}
            />
            <Text size="xs">{n}</Text>
          </Group>
        ))}
        {shown.map((label) => (
          <Group gap={4} key={label} role="listitem">
            <span
              style={{
                width: 14,
                height: 10,
                borderRadius: 2,
                display: "inline-block",
                background: labelColor(label, labels),
              }}
            />
            <Text size="xs">{label}</Text>
          </Group>
        ))}
        <Group gap={4} role="listitem">
          <span
            style={{ width: 14, height: 10, borderRadius: 2, display: "inline-block", border: "2px solid #e03131" }}
          />
          <Text size="xs">wrong window</Text>
        </Group>
      </Group>
    </div>
  );
}

/** Enough lanes that consecutive windows (which overlap when the stride is shorter than a window) never share one. */
function lanesFor(bands: WindowBand[]): number {
  if (bands.length < 2) return 1;
  const length = bands[0].endMs - bands[0].startMs;
  const stride = bands[1].startMs - bands[0].startMs;
  return stride > 0 ? Math.ceil(length / stride) : 1;
}

import { useEffect, useRef } from "react";
import uPlot from "uplot";

const COLORS = ["#0ca678", "#1c7ed6", "#f76707", "#ae3ec9", "#e03131", "#495057"];

/** A time series (ms) with one line per axis; drag to zoom, double-click to reset (uPlot). */
export function SignalChart({
  times,
  values,
  names,
  height = 260,
  onSelect,
}: {
  times: number[];
  values: number[][];
  names: string[];
  height?: number;
  onSelect?: (startMs: number, endMs: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || times.length === 0) return;
    const data: uPlot.AlignedData = [times, ...names.map((_, k) => values.map((r) => r[k]))];
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: false } },
        axes: [{ label: "ms" }, {}],
        series: [
          { label: "time (ms)" },
          ...names.map((n, k) => ({ label: n, stroke: COLORS[k % COLORS.length], width: 1.25 })),
        ],
        hooks: onSelect
          ? {
              setSelect: [
                (u: uPlot) => {
                  if (u.select.width > 0)
                    onSelect(u.posToVal(u.select.left, "x"), u.posToVal(u.select.left + u.select.width, "x"));
                },
              ],
            }
          : {},
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, values, names, height, onSelect]);
  return <div ref={box} role="img" aria-label={`Signal chart of ${names.join(", ")}`} style={{ width: "100%" }} />;
}

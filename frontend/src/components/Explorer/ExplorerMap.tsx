import * as echarts from "echarts";
import { useEffect, useMemo, useRef } from "react";
import { colorOf, type MapPoint, UNLABELED } from "./explorerPoints";

export type PickMode = "open" | "rect" | "polygon";

/** The map: one scatter series per label (unlabeled grey), training as circles and testing as
 * triangles. In "open" mode a click opens the point's sample; in "rect"/"polygon" mode a box or
 * lasso selects points and `onSelect` gets the indexes (into `points`) inside it. */
export function ExplorerMap({
  points,
  order,
  mode,
  selected,
  method,
  onOpen,
  onSelect,
}: {
  points: MapPoint[];
  order: string[];
  mode: PickMode;
  selected: Set<number>;
  method: string;
  onOpen: (sampleId: number) => void;
  onSelect: (indexes: number[]) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const handlers = useRef({ onOpen, onSelect, points, mode });
  useEffect(() => {
    handlers.current = { onOpen, onSelect, points, mode };
  }, [onOpen, onSelect, points, mode]);

  const option = useMemo((): echarts.EChartsOption => {
    const names = [...order, ""];
    const axis = method === "tsne" ? "t-SNE" : "PC";
    return {
      animation: false,
      grid: { left: 56, right: 16, top: 16, bottom: 40 },
      tooltip: {
        trigger: "item",
        formatter: (params) => {
          const v = (params as { value: number[] }).value;
          const p = points[v[2]];
          return p
            ? `${p.label || UNLABELED} · sample ${p.sampleId} at ${(p.startMs / 1000).toFixed(1)} s · ${p.category}`
            : "";
        },
      },
      xAxis: { type: "value", name: `${axis}1`, scale: true, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "value", name: `${axis}2`, scale: true, nameLocation: "middle", nameGap: 32 },
      brush: {
        xAxisIndex: "all",
        yAxisIndex: "all",
        brushMode: "single",
        throttleType: "debounce",
        throttleDelay: 200,
        outOfBrush: { colorAlpha: 0.2 },
      },
      toolbox: { show: false, feature: { brush: { type: ["rect", "polygon", "clear"] } } },
      series: names.map((label) => ({
        name: label || UNLABELED,
        type: "scatter",
        symbolSize: 7,
        itemStyle: { color: colorOf(label, order), opacity: label ? 0.85 : 0.6 },
        symbol: (value: number[]) => (points[value[2]]?.category === "testing" ? "triangle" : "circle"),
        data: points.flatMap((p, i) =>
          p.label === label
            ? [{ value: [p.x, p.y, i], itemStyle: selected.has(i) ? { borderColor: "#000", borderWidth: 1.5 } : {} }]
            : [],
        ),
      })),
    };
  }, [points, order, selected, method]);

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current);
    c.on("click", (e) => {
      if (handlers.current.mode !== "open") return;
      const p = handlers.current.points[(e.value as number[])[2]];
      if (p) handlers.current.onOpen(p.sampleId);
    });
    c.on("brushSelected", (e) => {
      const batch = (e as { batch: { selected: { seriesIndex: number; dataIndex: number[] }[] }[] }).batch[0];
      const opt = c.getOption() as { series: { data: { value: number[] }[] }[] };
      const picked = (batch?.selected ?? []).flatMap((s) =>
        s.dataIndex.map((d) => opt.series[s.seriesIndex].data[d].value[2]),
      );
      if (picked.length) handlers.current.onSelect(picked);
    });
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(option, true);
    // Replacing the option resets the cursor: take the box or lasso again in selection modes.
    c.dispatchAction({
      type: "takeGlobalCursor",
      key: "brush",
      brushOption: { brushType: mode === "open" ? false : mode, brushMode: "single" },
    });
  }, [option, mode]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={`Data explorer map: ${points.length} windows coloured by label, training as circles and testing as triangles`}
      data-testid="explorer-map"
      style={{ width: "100%", height: 460 }}
    />
  );
}

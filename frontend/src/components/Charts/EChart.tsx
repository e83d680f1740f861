import * as echarts from "echarts";
import { useEffect, useRef } from "react";

/** An ECharts chart that follows its container's width; `onClick` gets the clicked data item. */
export function EChart({
  option,
  height = 320,
  label,
  onClick,
}: {
  option: echarts.EChartsOption;
  height?: number;
  label: string;
  onClick?: (params: echarts.ECElementEvent) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    c.on("click", onClick);
    return () => {
      c.off("click", onClick);
    };
  }, [onClick]);
  return <div ref={box} role="img" aria-label={label} style={{ width: "100%", height }} />;
}

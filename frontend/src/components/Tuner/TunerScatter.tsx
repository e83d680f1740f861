import type * as echarts from "echarts";
import { useMemo } from "react";
import { EChart } from "../Charts/EChart";
import { type Candidate, paretoFront } from "./pareto";

/** Accuracy (int8, test split) against latency; point size = RAM; Pareto front joined; over-limit greyed. */
export function TunerScatter({ candidates }: { candidates: Candidate[] }) {
  const option = useMemo((): echarts.EChartsOption => {
    const front = paretoFront(candidates);
    const measured = candidates.filter((c) => c.accuracy_int8 != null && c.latency_ms != null);
    const maxRam = Math.max(1, ...measured.map((c) => c.ram_bytes ?? 0));
    const point = (c: Candidate) => ({
      value: [c.latency_ms, c.accuracy_int8, c.ram_bytes, c.number],
      name: `#${c.number} ${c.label}`,
      symbolSize: 8 + 24 * Math.sqrt((c.ram_bytes ?? 0) / maxRam),
      itemStyle: { color: c.fits === false ? "#adb5bd" : front.has(c.id) ? "#e8590c" : "#228be6" },
    });
    const frontLine = measured
      .filter((c) => front.has(c.id))
      .sort((a, b) => a.latency_ms! - b.latency_ms!)
      .map((c) => [c.latency_ms, c.accuracy_int8]);
    return {
      animation: false,
      grid: { left: 56, right: 24, top: 24, bottom: 48 },
      tooltip: {
        trigger: "item" as const,
        formatter: (params) => {
          const p = params as { name: string; value: unknown };
          const v = p.value as number[];
          return Array.isArray(v) && v.length > 2
            ? `${p.name}<br/>accuracy ${(v[1] * 100).toFixed(1)} %, ${v[0]} ms, RAM ${(v[2] / 1024).toFixed(1)} KB`
            : p.name;
        },
      },
      xAxis: { type: "value" as const, name: "latency (ms)", nameLocation: "middle" as const, nameGap: 30 },
      yAxis: { type: "value" as const, name: "int8 accuracy", max: 1 },
      series: [
        { type: "scatter" as const, name: "candidates", data: measured.map(point) },
        {
          type: "line" as const,
          name: "Pareto front",
          data: frontLine,
          symbol: "none",
          lineStyle: { type: "dashed" as const },
        },
      ],
    };
  }, [candidates]);
  return <EChart option={option} height={300} label="Candidates: accuracy against latency, point size is RAM" />;
}

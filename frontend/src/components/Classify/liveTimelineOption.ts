import type { EChartsOption } from "echarts";

export type TimelinePoint = {
  t: number; // seconds since the stream began (the window's end)
  classification?: Record<string, number> | null;
  anomaly?: number | null;
  prediction?: string | null;
};

/** Scores per label as lines, the anomaly score on its own axis, and the prediction as a row below. */
export function liveTimelineOption(labels: string[], points: TimelinePoint[]): EChartsOption {
  const rows = [...labels, "uncertain"];
  const hasAnomaly = points.some((p) => p.anomaly != null);
  const scoreSeries = labels.map((label) => ({
    name: label,
    type: "line" as const,
    showSymbol: false,
    xAxisIndex: 0,
    yAxisIndex: 0,
    data: points.map((p) => [p.t, p.classification?.[label] ?? null]),
  }));
  const anomaly = hasAnomaly
    ? [
        {
          name: "anomaly",
          type: "line" as const,
          showSymbol: false,
          lineStyle: { type: "dashed" as const },
          xAxisIndex: 0,
          yAxisIndex: 1,
          data: points.map((p) => [p.t, p.anomaly ?? null]),
        },
      ]
    : [];
  return {
    animation: false,
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    grid: [
      { left: 80, right: 64, top: 32, height: "58%" },
      { left: 80, right: 64, bottom: 28, height: "18%" },
    ],
    xAxis: [
      { type: "value", gridIndex: 0, name: "s", min: "dataMin", max: "dataMax", axisLabel: { show: false } },
      {
        type: "value",
        gridIndex: 1,
        name: "s",
        min: "dataMin",
        max: "dataMax",
        axisLabel: { formatter: (v: number) => v.toFixed(1) },
      },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, min: 0, max: 1, name: "score" },
      { type: "value", gridIndex: 0, name: "anomaly", show: hasAnomaly, splitLine: { show: false } },
      { type: "category", gridIndex: 1, data: rows, name: "result" },
    ],
    series: [
      ...scoreSeries,
      ...anomaly,
      {
        name: "prediction",
        type: "scatter",
        symbolSize: 8,
        xAxisIndex: 1,
        yAxisIndex: 2,
        data: points.filter((p) => p.prediction).map((p) => [p.t, p.prediction as string]),
      },
    ],
  };
}

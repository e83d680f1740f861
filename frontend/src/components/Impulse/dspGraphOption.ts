import type { EChartsOption } from "echarts";

/** A processing block's graph: line series over x, or (type "image") a matrix z[y][x] such as a
 *  spectrogram or cepstrogram, drawn as a heat map with time along x. */
export type DspGraph = {
  name: string;
  type?: "image";
  x: number[];
  x_label: string;
  y_label: string;
  series: Record<string, number[]>;
  y?: number[];
  z?: number[][];
};

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export function dspGraphOption(g: DspGraph): EChartsOption {
  const title = { text: g.name, textStyle: { fontSize: 13 } };
  if (g.type === "image" && g.z && g.y) {
    const data: [number, number, number][] = [];
    let lo = Infinity,
      hi = -Infinity;
    g.z.forEach((row, yi) =>
      row.forEach((v, xi) => {
        data.push([xi, yi, v]);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }),
    );
    return {
      title,
      tooltip: { position: "top" },
      grid: { left: 60, right: 16, top: 36, bottom: 36 },
      xAxis: { type: "category", name: g.x_label, nameLocation: "middle", nameGap: 24, data: g.x.map(fmt) },
      yAxis: { type: "category", name: g.y_label, data: g.y.map(fmt) },
      visualMap: {
        min: lo === Infinity ? 0 : lo,
        max: hi === -Infinity ? 1 : hi,
        show: false,
        calculable: false,
        inRange: { color: ["#313695", "#74add1", "#ffffbf", "#f46d43", "#a50026"] },
      },
      series: [{ type: "heatmap", data, progressive: 0 }],
    };
  }
  return {
    title,
    tooltip: { trigger: "axis" },
    legend: { top: 0, right: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 36 },
    xAxis: { type: "value", name: g.x_label, nameLocation: "middle", nameGap: 24, min: "dataMin", max: "dataMax" },
    yAxis: { type: "value", name: g.y_label, scale: true },
    series: Object.entries(g.series).map(([name, ys]) => ({
      name,
      type: "line",
      showSymbol: false,
      data: g.x.map((x, i) => [x, ys[i]]),
    })),
  };
}

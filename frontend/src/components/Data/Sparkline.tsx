import type { Schemas } from "../../client/api";

type Shape = NonNullable<Schemas["SampleListItem"]["sparkline"]>;

/** A sample's thumbnail: the min/max band of its first axis, drawn as one SVG path. */
export function Sparkline({
  shape,
  label,
  width = 96,
  height = 24,
}: {
  shape: Shape;
  label: string;
  width?: number;
  height?: number;
}) {
  const n = shape.min.length;
  if (n === 0) return null;
  const lo = Math.min(...shape.min);
  const hi = Math.max(...shape.max);
  const span = hi - lo || 1;
  const x = (i: number) => (n === 1 ? width / 2 : (i / (n - 1)) * (width - 2) + 1);
  const y = (v: number) => (hi === lo ? height / 2 : height - 1 - ((v - lo) / span) * (height - 2));
  const top = shape.max.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const bottom = shape.min.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
  return (
    <svg width={width} height={height} role="img" aria-label={label} data-testid="sparkline">
      <path
        d={`M${top.join("L")}L${bottom.join("L")}Z`}
        fill="var(--mantine-color-blue-2)"
        stroke="var(--mantine-color-blue-7)"
        strokeWidth={1}
        strokeLinejoin="round"
      />
    </svg>
  );
}

import { Table } from "@mantine/core";
import { EChart } from "./EChart";

/** Rows are the actual labels, columns the predicted ones; shown as a heatmap and as a table. */
export function ConfusionMatrix({
  labels,
  columns,
  matrix,
}: {
  labels: string[];
  columns?: string[];
  matrix: number[][];
}) {
  const cols = columns ?? labels;
  const max = Math.max(1, ...matrix.flat());
  // White numbers on the dark cells, dark ones on the light cells, so every count stays readable.
  const data = matrix.flatMap((row, i) =>
    row.map((v, j) => ({
      value: [j, i, v],
      label: { color: v > max / 2 ? "#ffffff" : "#212529" },
    })),
  );
  return (
    <>
      <EChart
        label="Confusion matrix"
        height={60 + 48 * labels.length}
        option={{
          tooltip: {
            formatter: (p) => {
              const [col, row, n] = (p as { value: number[] }).value;
              return `actual ${labels[row]}, predicted ${cols[col]}: ${n}`;
            },
          },
          grid: { left: 90, right: 20, top: 10, bottom: 50 },
          xAxis: { type: "category", data: cols, name: "predicted", nameLocation: "middle", nameGap: 30 },
          yAxis: { type: "category", data: labels, inverse: true },
          visualMap: { min: 0, max, show: false, inRange: { color: ["#f8f9fa", "#0ca678"] } },
          series: [{ type: "heatmap", data, label: { show: true, fontWeight: "bold", fontSize: 14 } }],
        }}
      />
      <Table aria-label="Confusion matrix table" withTableBorder ta="center" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>actual \ predicted</Table.Th>
            {cols.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matrix.map((row, i) => (
            <Table.Tr key={i}>
              <Table.Th>{labels[i]}</Table.Th>
              {row.map((v, j) => (
                <Table.Td key={j}>{v}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

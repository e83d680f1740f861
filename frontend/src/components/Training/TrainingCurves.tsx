import { Card, Title } from "@mantine/core";
import type { Epoch } from "../../hooks/useJobStream";
import { EChart } from "../Charts/EChart";

/** Loss and accuracy per epoch, live while training runs. */
export function TrainingCurves({ epochs }: { epochs: Epoch[] }) {
  const xs = epochs.map((e) => e.epoch);
  const line = (name: string, key: keyof Epoch, yAxisIndex: number, dashed = false) => ({
    name,
    type: "line" as const,
    yAxisIndex,
    showSymbol: false,
    lineStyle: { type: dashed ? ("dashed" as const) : ("solid" as const) },
    data: epochs.map((e) => e[key]),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        Loss and accuracy
      </Title>
      <EChart
        label="Training loss and accuracy per epoch"
        height={260}
        option={{
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 50, right: 50, top: 40, bottom: 30 },
          xAxis: { type: "category", data: xs, name: "epoch" },
          yAxis: [
            { type: "value", name: "loss" },
            { type: "value", name: "accuracy", min: 0, max: 1 },
          ],
          series: [
            line("loss", "loss", 0),
            line("validation loss", "val_loss", 0, true),
            line("accuracy", "accuracy", 1),
            line("validation accuracy", "val_accuracy", 1, true),
          ],
        }}
      />
    </Card>
  );
}

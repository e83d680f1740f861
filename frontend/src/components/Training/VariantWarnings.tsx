import { Alert, SegmentedControl } from "@mantine/core";
import type { ReactNode } from "react";
import type { Schemas } from "../../client/api";

export type Variant = Schemas["TestStart"]["variant"];
export type VariantWarning = { code: string; message: string; where?: string; gap_points?: number };

/** The workers' warnings about the model variants (int8 clearly below float32), with a way to use float32. */
export function VariantWarnings({ warnings, action }: { warnings?: VariantWarning[] | null; action?: ReactNode }) {
  if (!warnings?.length) return null;
  return (
    <>
      {warnings.map((w, i) => (
        <Alert
          key={i}
          color="yellow"
          title="The int8 model is less accurate than float32"
          data-testid="variant-warning"
        >
          {w.message}
          {action && <div style={{ marginTop: 8 }}>{action}</div>}
        </Alert>
      ))}
    </>
  );
}

/** Which network runs: int8 (what devices run by default) or float32. */
export function VariantPicker({ value, onChange }: { value: Variant; onChange: (v: Variant) => void }) {
  return (
    <SegmentedControl
      value={value}
      onChange={(v) => onChange(v as Variant)}
      aria-label="Model variant"
      data={[
        { value: "int8", label: "int8" },
        { value: "float32", label: "float32" },
      ]}
    />
  );
}

import { ANOMALY, UNCERTAIN } from "../../lib/testMetrics";

// Dark enough for white text and for thin bands on white (WCAG contrast of the legend swatches).
const PALETTE = ["#1864ab", "#087f5b", "#d9480f", "#862e9c", "#c2255c", "#5c940d", "#0b7285", "#e67700"];

/** A fixed colour per label (in the model's label order); grey for uncertain, black for anomaly. */
export function labelColor(label: string, labels: string[]): string {
  if (label === UNCERTAIN) return "#868e96";
  if (label === ANOMALY) return "#212529";
  const i = labels.indexOf(label);
  return i < 0 ? "#495057" : PALETTE[i % PALETTE.length];
}

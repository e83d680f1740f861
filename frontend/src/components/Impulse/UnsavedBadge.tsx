import { Badge } from "@mantine/core";
import type { ImpulseConfig } from "../../client/domain";
import { useLeaveWarning } from "../../hooks/useLeaveWarning";
import { changedPaths } from "../../lib/impulseDiff";

/** Whether the form differs from the version it was loaded from, and in how many fields; while it
 *  does, reloading or closing the tab asks first. */
export function UnsavedBadge({ from, cfg }: { from: ImpulseConfig | null; cfg: ImpulseConfig }) {
  const changed = from ? changedPaths(from, cfg).length : null;
  useLeaveWarning(!!changed);
  const text = changed === null ? "Not saved yet" : changed ? `Unsaved changes (${changed})` : "Saved";
  return (
    <Badge
      role="status"
      aria-label="Save state"
      variant="light"
      color={changed === 0 ? "green" : "orange"}
      data-testid="unsaved-state"
    >
      {text}
    </Badge>
  );
}

import { StagePage } from "../components/ui/StagePage";

export function ClassifyPage() {
  return <StagePage title="Live classification" route="/api/projects/{project_id}/impulses"
    description="Classify a test sample or a fresh recording window by window; copy a window's raw features for the static_buffer example."
    empty="Train a model first, then classify samples here" next={{ to: "training", label: "Go to training" }} />;
}

import { StagePage } from "../components/ui/StagePage";

export function TrainingPage() {
  return <StagePage title="Training" route="/api/projects/{project_id}/impulses"
    description="Train the learning block; loss and accuracy update live, then float32 and int8 results with a confusion matrix and on-device estimates."
    empty="Generate features first, then train here" next={{ to: "features", label: "Go to the processing block" }} />;
}

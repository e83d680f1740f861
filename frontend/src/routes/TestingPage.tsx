import { StagePage } from "../components/ui/StagePage";

export function TestingPage() {
  return <StagePage title="Model testing" route="/api/projects/{project_id}/impulses"
    description="Run the trained model on the test set: a result per sample and a confusion matrix."
    empty="Train a model first, then test it on the samples of the testing category" next={{ to: "training", label: "Go to training" }} />;
}

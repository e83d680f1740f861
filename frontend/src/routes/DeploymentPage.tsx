import { StagePage } from "../components/ui/StagePage";

export function DeploymentPage() {
  return <StagePage title="Deployment" route="/api/projects/{project_id}/deployments"
    description="Build an Arduino library, a C++ library or a TFLite file, int8 or float32, and download it; earlier builds stay in the history with their estimates."
    empty="Train a model first, then build a library for your board" next={{ to: "training", label: "Go to training" }} />;
}

import { StagePage } from "../components/ui/StagePage";

export function ImpulsePage() {
  return <StagePage title="Impulse design" route="/api/projects/{project_id}/impulses"
    description="An impulse takes windows of raw data, turns them into features with a processing block, and learns from them with a learning block."
    empty="Collect data first: an impulse needs samples to learn from" next={{ to: "data", label: "Go to data acquisition" }} />;
}

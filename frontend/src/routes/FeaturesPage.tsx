import { StagePage } from "../components/ui/StagePage";

export function FeaturesPage() {
  return <StagePage title="Processing block" route="/api/projects/{project_id}/impulses"
    description="Tune the processing block's parameters, preview its graphs on a window, generate features and explore them by label."
    empty="Design an impulse first: pick its processing block there" next={{ to: "impulse", label: "Design the impulse" }} />;
}

import { Button, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconSparkles } from "@tabler/icons-react";
import { useNavigate } from "react-router";
import { api, call, errorText } from "../../client/api";

const SAMPLE_NAME = "Motion sample";

/** Fill a project with the synthetic motion dataset (idle, wave, circle: 2 minutes at 62.5 Hz).
 * Without `projectId` it makes a new project for it first and opens that project's dashboard. */
export function SampleProjectButton({ projectId }: { projectId?: number }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const fill = useMutation({
    mutationFn: async () => {
      const id = projectId ?? (await call(api.POST("/api/projects", { body: { name: SAMPLE_NAME } }))).id;
      await call(api.POST("/api/projects/{project_id}/sample-data", { params: { path: { project_id: id } } }));
      return id;
    },
    onSuccess: (id) => {
      qc.invalidateQueries({ queryKey: ["projects"] });
      ["activity", "samples", "dataset"].forEach((head) => qc.invalidateQueries({ queryKey: [head, id] }));
      if (projectId === undefined) navigate(`/projects/${id}`);
    },
  });
  return (
    <>
      <Button
        variant="light"
        leftSection={<IconSparkles size={18} />}
        loading={fill.isPending}
        onClick={() => fill.mutate()}
        title="Three gestures (idle, wave, circle) from an accelerometer, split into training and testing"
      >
        Sample project
      </Button>
      {fill.isError && (
        <Text c="red" size="sm" role="alert">
          {errorText(fill.error)}
        </Text>
      )}
    </>
  );
}

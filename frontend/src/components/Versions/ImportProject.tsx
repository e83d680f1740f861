import { Alert, Button, FileButton, Group, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconUpload } from "@tabler/icons-react";
import { useNavigate } from "react-router";
import { errorText, fetchJson, type Schemas } from "../../client/api";

/** Import a project archive (from "Export project") as a new project you own. */
export function ImportProject() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const upload = useMutation({
    // Raw fetch: the archive goes as the request body (application/zip), which the generated client does not send.
    mutationFn: (file: File) =>
      fetchJson<Schemas["ProjectPublic"]>("/api/projects/import", {
        method: "POST",
        headers: { "content-type": "application/zip" },
        body: file,
      }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ["projects"] });
      navigate(`/projects/${p.id}`);
    },
  });
  return (
    <div>
      <Group>
        <FileButton onChange={(f) => f && upload.mutate(f)} accept="application/zip,.zip">
          {(props) => (
            <Button {...props} variant="light" leftSection={<IconUpload size={18} />} loading={upload.isPending}>
              Import a project
            </Button>
          )}
        </FileButton>
        <Text size="sm" c="dimmed">
          A zip made by “Export project” on the Versions page, from this studio or another.
        </Text>
      </Group>
      {upload.isError && (
        <Alert color="red" mt="sm">
          {errorText(upload.error)}
        </Alert>
      )}
    </div>
  );
}

import { Alert, Button, Group, NumberInput, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText } from "../../client/api";

/** "Save as test sample": the last seconds the device streamed, stored in the testing set. */
export function SaveLiveSample({
  projectId,
  deviceId,
  maxSeconds,
}: {
  projectId: number;
  deviceId: string;
  maxSeconds: number;
}) {
  const qc = useQueryClient();
  const [label, setLabel] = useState("");
  const [seconds, setSeconds] = useState(10);
  const save = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/devices/{device_id}/live/save", {
          params: { path: { project_id: projectId, device_id: deviceId } },
          body: { label: label.trim(), seconds },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["samples", projectId] }),
  });
  return (
    <>
      <Group align="flex-end">
        <TextInput
          label="Label for the saved sample"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <NumberInput
          label="Last seconds"
          value={seconds}
          min={1}
          max={maxSeconds}
          onChange={(v) => setSeconds(Number(v) || 1)}
          w={130}
        />
        <Button variant="light" onClick={() => save.mutate()} disabled={!label.trim()} loading={save.isPending}>
          Save as test sample
        </Button>
      </Group>
      {save.isSuccess && (
        <Alert color="teal" role="status" data-testid="live-saved">
          Saved {save.data.name}: {save.data.rows} readings in the testing set.
        </Alert>
      )}
      {save.isError && <Alert color="red">{errorText(save.error)}</Alert>}
    </>
  );
}

import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";

type Sample = Schemas["SampleListItem"];
type Change = Omit<Schemas["SampleUpdate"], "expected_updated_at">;

/** One sample's actions. Each edit says which state of the sample it starts from, so an edit made
 * on a list someone else changed meanwhile is refused (409) instead of overwriting theirs. */
export function SampleRowMenu({ projectId, sample }: { projectId: number; sample: Sample }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState<"name" | "label" | "delete" | null>(null);
  const [text, setText] = useState("");
  const path = { project_id: projectId, sample_id: sample.id };
  const refresh = () =>
    qc.invalidateQueries({ predicate: (q) => ["samples", "dataset"].includes(String(q.queryKey[0])) });
  const fail = (err: unknown) => {
    notifications.show({ color: "red", title: `Could not change ${sample.name}`, message: errorText(err) });
    refresh();
  };
  const patch = useMutation({
    mutationFn: (change: Change) =>
      call(
        api.PATCH("/api/projects/{project_id}/samples/{sample_id}", {
          params: { path },
          body: { ...change, expected_updated_at: sample.updated_at },
        }),
      ),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE("/api/projects/{project_id}/samples/{sample_id}", { params: { path } })),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
    onError: fail,
  });
  const open = (what: "name" | "label") => {
    setText(what === "name" ? sample.name : sample.label);
    setEditing(what);
  };
  const other = sample.category === "training" ? "testing" : "training";
  return (
    <>
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${sample.name}`}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => open("name")}>Rename</Menu.Item>
          <Menu.Item onClick={() => open("label")}>Relabel</Menu.Item>
          <Menu.Item onClick={() => patch.mutate({ category: other })}>Move to {other}</Menu.Item>
          <Menu.Item onClick={() => patch.mutate({ enabled: !sample.enabled })}>
            {sample.enabled ? "Disable" : "Enable"}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item c="red.9" onClick={() => setEditing("delete")}>
            Delete
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={editing === "name" || editing === "label"}
        onClose={() => setEditing(null)}
        title={editing === "name" ? `Rename ${sample.name}` : `Relabel ${sample.name}`}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            patch.mutate(editing === "name" ? { name: text } : { label: text });
          }}
        >
          <Stack>
            <TextInput
              label={editing === "name" ? "New name" : "New label (empty: unlabeled)"}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button type="submit" loading={patch.isPending} disabled={editing === "name" && !text.trim()}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={editing === "delete"} onClose={() => setEditing(null)} title={`Delete ${sample.name}?`}>
        <Text size="sm">The sample and its values are removed from the project. Saved versions keep their copy.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setEditing(null)}>
            Keep it
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete sample
          </Button>
        </Group>
      </Modal>
    </>
  );
}

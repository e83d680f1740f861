import { Alert, Button, Group, List, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { errorText, fetchJson } from "../../client/api";
import type { FilesResult } from "../../client/domain";
import { useProject } from "../../hooks/useProject";

// The server's per-file errors usually start with the file name already.
const withName = (name: string | undefined, error?: string | null) =>
  !name || error?.startsWith(name) ? error : `${name}: ${error}`;

/** Upload JSON, CBOR, CSV and WAV files; each file gets its own result line. */
export function UploadDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const p = useProject();
  const qc = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [category, setCategory] = useState("split");
  const [label, setLabel] = useState("");
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      files.forEach((f) => form.append("data", f, f.name));
      const headers: Record<string, string> = { "x-project-id": String(p.id) };
      if (label.trim()) headers["x-label"] = encodeURIComponent(label.trim());
      // Raw fetch: a multipart ingestion upload with per-request headers, which the generated client cannot encode.
      return fetchJson<FilesResult>(`/api/${category}/files`, { method: "POST", body: form, headers });
    },
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => ["samples", "dataset"].includes(String(q.queryKey[0])) }),
  });
  const results = upload.data?.files ?? [];
  return (
    <Modal
      opened={opened}
      onClose={() => {
        onClose();
        upload.reset();
        setFiles([]);
      }}
      title="Upload data"
      size="lg"
    >
      <Stack>
        <Dropzone
          onDrop={setFiles}
          multiple
          aria-label="Files to upload"
          inputProps={{ "aria-label": "Files to upload" }}
        >
          <Group justify="center" mih={100} style={{ pointerEvents: "none" }}>
            <IconUpload size={32} />
            <div>
              <Text>Drop files here or click to choose</Text>
              <Text size="xs" c="dimmed">
                JSON or CBOR acquisition files, CSV, WAV; the label comes from the name (idle.01.csv → idle)
              </Text>
            </div>
          </Group>
        </Dropzone>
        {files.length > 0 && (
          <Text size="sm">
            {files.length} file{files.length === 1 ? "" : "s"} chosen
          </Text>
        )}
        <Group grow>
          <Select
            label="Category"
            value={category}
            onChange={(v) => v && setCategory(v)}
            allowDeselect={false}
            data={[
              { value: "split", label: "Split automatically (80/20)" },
              { value: "training", label: "Training" },
              { value: "testing", label: "Testing" },
            ]}
          />
          <TextInput
            label="Label (optional)"
            placeholder="from the file name"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
        </Group>
        <Button onClick={() => upload.mutate()} loading={upload.isPending} disabled={!files.length}>
          Upload
        </Button>
        {upload.isError && <Alert color="red">{errorText(upload.error)}</Alert>}
        {upload.data && !upload.data.success && upload.data.error && <Alert color="red">{upload.data.error}</Alert>}
        {results.length > 0 && (
          <List size="sm" aria-label="Upload results">
            {results.map((r, i) => (
              <List.Item key={i} c={r.success ? (r.warnings?.length ? "orange" : "teal") : "red"}>
                {r.success
                  ? `${files[i]?.name ?? r.fileName}: stored as ${r.fileName}`
                  : withName(files[i]?.name, r.error)}
                {r.success && r.warnings?.map((w) => ` (${w})`)}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Modal>
  );
}

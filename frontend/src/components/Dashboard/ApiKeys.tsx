import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Select,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";

const ROLE_HELP: Record<string, string> = {
  ingestiononly: "upload data only",
  readonly: "read the project",
  admin: "everything an admin can do",
};

export function ApiKeys() {
  const p = useProject();
  const qc = useQueryClient();
  const path = { project_id: p.id };
  const [name, setName] = useState("");
  const [role, setRole] = useState<"ingestiononly" | "readonly" | "admin">("ingestiononly");
  const [shown, setShown] = useState<{ key: string; edgeImpulse: string } | null>(null);
  const keys = useQuery({
    queryKey: ["apikeys", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/apikeys", { params: { path } })),
  });
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/projects/{project_id}/apikeys", { params: { path }, body: { name, role } })),
    onSuccess: (k) => {
      setShown({ key: k.key, edgeImpulse: k.edge_impulse_key });
      setName("");
      qc.invalidateQueries({ queryKey: ["apikeys", p.id] });
    },
  });
  const revoke = useMutation({
    mutationFn: (key_id: number) =>
      call(api.DELETE("/api/projects/{project_id}/apikeys/{key_id}", { params: { path: { ...path, key_id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["apikeys", p.id] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const active = keys.data?.filter((k) => !k.revoked_at) ?? [];
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb={4}>
        API keys
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Devices, scripts and the CLI send one in the <Code>x-api-key</Code> header.
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label="Key name"
            placeholder="lab board"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 160 }}
          />
          <Select
            label="Allows"
            w={170}
            allowDeselect={false}
            value={role}
            onChange={(r) => r && setRole(r as typeof role)}
            data={Object.entries(ROLE_HELP).map(([value, label]) => ({ value, label }))}
          />
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </Group>
      </form>
      {create.isError && (
        <Text c="red" size="sm" role="alert">
          {errorText(create.error)}
        </Text>
      )}
      {shown && (
        <Alert
          mt="sm"
          color="yellow"
          title="Copy your new key now: it is shown only once"
          withCloseButton
          onClose={() => setShown(null)}
        >
          <Group gap="xs" wrap="nowrap">
            <Code data-testid="new-api-key" style={{ overflowWrap: "anywhere" }}>
              {shown.key}
            </Code>
            <CopyButton value={shown.key}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy"}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="xs" mt="xs">
            For Edge Impulse&apos;s CLI and phone client, which want keys starting with <Code>ei_</Code>, use the same
            key as:
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code data-testid="new-api-key-ei" style={{ overflowWrap: "anywhere" }}>
              {shown.edgeImpulse}
            </Code>
            <CopyButton value={shown.edgeImpulse}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy"}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      {active.length === 0 ? (
        <Text size="sm" c="dimmed" mt="sm">
          No keys yet. Create one for each device or script, so you can revoke them one by one.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420} mt="sm">
          <Table aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Allows</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    {k.name || (
                      <Text c="dimmed" size="sm">
                        unnamed
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{k.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{ROLE_HELP[k.role] ?? k.role}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : "never"}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(k.id)}>
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
